import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGrad, MsInstanceNormGradAttrs, MsInstanceNormGradInputs} from '../../kernel_names';
import {sizeOf, valuesOf} from './cpu_util';
import {sliceMean, sliceVariance} from './LayerNorm';
import {rangeDySums, rangeGradient} from './row_math';

// Backward of InstanceNorm per (n, c) slice of L values, xhat = (x - mean) * rstd:
//   dx = gamma[c] * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
//   dgamma[c] = sum over n and the slice of dy * xhat, dbeta[c] = sum of dy.
export function msInstanceNormGrad(args: {
  inputs: MsInstanceNormGradInputs,
  backend: MathBackendCPU,
  attrs: MsInstanceNormGradAttrs,
}): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const gVals = valuesOf(backend, gamma!);
  const dyVals = valuesOf(backend, dy!);
  const channels = x!.shape[1];
  const numSlices = sizeOf(x!.shape, 0, 2);
  const sliceSize = sizeOf(x!.shape, 2);
  const dx = new Float32Array(xVals.length);
  const dgamma = new Float64Array(channels);
  const dbeta = new Float64Array(channels);
  const pair = new Float64Array(2);
  for (let s = 0; s < numSlices && sliceSize > 0; s++) {
    const start = s * sliceSize;
    const end = start + sliceSize;
    const c = s % channels;
    const mu = sliceMean(xVals, start, sliceSize);
    const rstd = 1 / Math.sqrt(sliceVariance(xVals, start, sliceSize, mu) + epsilon);
    rangeDySums(dyVals, xVals, start, end, mu, pair);
    const sumDy = pair[0];
    const sumDyXhat = pair[1] * rstd;
    dgamma[c] += sumDyXhat;
    dbeta[c] += sumDy;
    // dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)), as dy * p + (x - mu) * q + r.
    const scale = gVals[c] * rstd;
    rangeGradient(dyVals, xVals, dx, start, end, mu, scale,
                  -scale * rstd * sumDyXhat / sliceSize, -scale * sumDy / sliceSize);
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', dx),
    backend.makeTensorInfo([channels], 'float32', Float32Array.from(dgamma)),
    backend.makeTensorInfo([channels], 'float32', Float32Array.from(dbeta)),
  ];
}

export const MsInstanceNormGradConfig: KernelConfig = {
  kernelName: MsInstanceNormGrad,
  backendName: 'cpu',
  kernelFunc: msInstanceNormGrad as unknown as KernelFunc,
};
