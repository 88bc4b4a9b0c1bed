import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {sizeOf, valuesOf} from './cpu_util';
import {sliceMean, sliceVariance} from './LayerNorm';
import {rangeNormalize} from './row_math';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice is normalized with its
// own mean and biased variance, in training and inference alike:
//   y = (x - mean_nc) / sqrt(var_nc + eps) * gamma[c] + beta[c]
export function msInstanceNorm(args: {
  inputs: MsInstanceNormInputs,
  backend: MathBackendCPU,
  attrs: MsInstanceNormAttrs,
}): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const gVals = valuesOf(backend, gamma!);
  const bVals = valuesOf(backend, beta!);
  const channels = x!.shape[1];
  const numSlices = sizeOf(x!.shape, 0, 2);
  const sliceSize = sizeOf(x!.shape, 2);
  const y = new Float32Array(xVals.length);
  for (let s = 0; s < numSlices && sliceSize > 0; s++) {
    const start = s * sliceSize;
    const c = s % channels;
    const mu = sliceMean(xVals, start, sliceSize);
    const rstd = 1 / Math.sqrt(sliceVariance(xVals, start, sliceSize, mu) + epsilon);
    rangeNormalize(xVals, y, start, start + sliceSize, mu, rstd * gVals[c], bVals[c]);
  }
  return backend.makeTensorInfo(x!.shape, 'float32', y);
}

export const MsInstanceNormConfig: KernelConfig = {
  kernelName: MsInstanceNorm,
  backendName: 'cpu',
  kernelFunc: msInstanceNorm as unknown as KernelFunc,
};
