import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGrad, MsInstanceNormGradAttrs, MsInstanceNormGradInputs} from '../../kernel_names';
import {msGroupNormGrad} from './GroupNormGrad';

// Backward of InstanceNorm: GroupNorm's with one channel per group. Per (n, c)
// slice, xhat = (x - mean) * rstd:
//   dx = gamma[c] * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
//   dgamma[c] = sum over n and the slice of dy * xhat, dbeta[c] = sum of dy.
export function msInstanceNormGrad(args: {
  inputs: MsInstanceNormGradInputs,
  backend: MathBackendCPU,
  attrs: MsInstanceNormGradAttrs,
}): TensorInfo[] {
  const {inputs, backend, attrs: {epsilon}} = args;
  return msGroupNormGrad({inputs, backend, attrs: {numGroups: inputs.x!.shape[1], epsilon}});
}

export const MsInstanceNormGradConfig: KernelConfig = {
  kernelName: MsInstanceNormGrad,
  backendName: 'cpu',
  kernelFunc: msInstanceNormGrad as unknown as KernelFunc,
};
