// SPDX-License-Identifier: Apache-2.0
import {GradConfig, NamedAttrMap, Tensor, zerosLike} from '@tensorflow/tfjs-core';

import {MsRMSNorm, MsRMSNormGrad, MsRMSNormGradInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

/**
 * MindSpore's RmsNorm bprop: only y's gradient flows back (rstd's is dropped),
 * through RmsNormGrad(dy, x, rstd, gamma) with the forward's saved rstd.
 * The backward kernel runs in gradFunc, inside the engine's backward scope,
 * so an output no thunk returns (dgamma of a constant gamma) is released.
 */
export const msRMSNormGradConfig: GradConfig = {
  kernelName: MsRMSNorm,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true],
  gradFunc: (dys: Tensor|Tensor[], saved: Tensor[]) => {
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [x, gamma, rstd] = saved;
    const inputs: MsRMSNormGradInputs = {dy: dy ?? zerosLike(x), x, rstd, gamma};
    const [dx, dgamma] =
        runMsKernel(MsRMSNormGrad, inputs as {}, {} as NamedAttrMap) as Tensor[];
    return {x: () => dx, gamma: () => dgamma};
  },
};
