import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {groupNorm} from './GroupNorm';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice is normalized with its
// own mean and biased variance, y = (x - mean_nc) / sqrt(var_nc + eps) * gamma[c] + beta[c]:
// GroupNorm with one channel per group. Passes: 4 (see GroupNorm).
export function msInstanceNorm(args: {
  inputs: MsInstanceNormInputs,
  backend: MathBackendWebGL,
  attrs: MsInstanceNormAttrs,
}): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {epsilon}} = args;
  return groupNorm(backend, x!, gamma!, beta!, x!.shape[1], epsilon);
}

export const msInstanceNormConfig: KernelConfig = {
  kernelName: MsInstanceNorm,
  backendName: 'webgl',
  kernelFunc: msInstanceNorm as unknown as KernelFunc,
};
