import {GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormGrad, MsGroupNormGradInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

export const msGroupNormGradConfig: GradConfig = {
  kernelName: MsGroupNorm,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, gamma] = saved;
    const inputs: MsGroupNormGradInputs = {x, gamma, dy: dy as Tensor};
    // One backward kernel yields all three gradients. It runs here, not in a
    // thunk: gradFunc runs inside the engine's backward scope, so outputs that
    // no thunk returns (inputs off the gradient path) are released with it.
    const [dx, dgamma, dbeta] =
        runMsKernel(MsGroupNormGrad, inputs as {}, attrs) as Tensor[];
    return {x: () => dx, gamma: () => dgamma, beta: () => dbeta};
  },
};
