import {GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormGrad, MsInstanceNormGradInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

/**
 * One backward kernel yields dx, dgamma and dbeta; it runs once, eagerly,
 * inside the engine's 'backward' tidy, which disposes whatever no thunk returns.
 */
export const msInstanceNormGradConfig: GradConfig = {
  kernelName: MsInstanceNorm,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, gamma] = saved;
    const inputs: MsInstanceNormGradInputs = {x, gamma, dy: dy as Tensor};
    const [dx, dgamma, dbeta] =
        runMsKernel(MsInstanceNormGrad, inputs as {}, attrs) as Tensor[];
    return {x: () => dx, gamma: () => dgamma, beta: () => dbeta};
  },
};
