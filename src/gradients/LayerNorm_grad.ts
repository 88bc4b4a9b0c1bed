// SPDX-License-Identifier: Apache-2.0
import {GradConfig, NamedAttrMap, Tensor, zerosLike} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormGrad, MsLayerNormGradInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

/**
 * Exact gradient of [y, mean, variance] with respect to x, gamma and beta,
 * including the paths through the mean and variance outputs.
 *
 * One backward kernel yields all three gradients, so it runs once, eagerly,
 * and the thunks hand out its outputs. This leaks nothing: the engine calls
 * gradFunc inside its 'backward' tidy, which disposes any gradient that no
 * thunk returns (e.g. dgamma when gamma is a constant).
 */
export const msLayerNormGradConfig: GradConfig = {
  kernelName: MsLayerNorm,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dys: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [dy, dmean, dvariance] = dys as Array<Tensor|null>;
    const [x, gamma] = saved;
    // tfjs 4 passes zeros for outputs outside the backprop graph; older
    // versions passed null, which the kernel reads as "no contribution".
    const inputs: MsLayerNormGradInputs = {x, gamma, dy: dy ?? zerosLike(x)};
    if (dmean != null) {
      inputs.dmean = dmean;
    }
    if (dvariance != null) {
      inputs.dvariance = dvariance;
    }
    const [dx, dgamma, dbeta] =
        runMsKernel(MsLayerNormGrad, inputs as {}, attrs) as Tensor[];
    return {x: () => dx, gamma: () => dgamma, beta: () => dbeta};
  },
};
