import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {msGroupNorm} from './GroupNorm';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice is normalized with its
// own mean and biased variance, in training and inference alike:
//   y = (x - mean_nc) / sqrt(var_nc + eps) * gamma[c] + beta[c]
// which is GroupNorm with one channel per group.
export function msInstanceNorm(args: {
  inputs: MsInstanceNormInputs,
  backend: MathBackendCPU,
  attrs: MsInstanceNormAttrs,
}): TensorInfo {
  const {inputs, backend, attrs: {epsilon}} = args;
  return msGroupNorm({inputs, backend, attrs: {numGroups: inputs.x!.shape[1], epsilon}});
}

export const MsInstanceNormConfig: KernelConfig = {
  kernelName: MsInstanceNorm,
  backendName: 'cpu',
  kernelFunc: msInstanceNorm as unknown as KernelFunc,
};
