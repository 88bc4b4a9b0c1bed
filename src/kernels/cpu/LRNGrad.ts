import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLRNGrad, MsLRNGradAttrs, MsLRNGradInputs} from '../../kernel_names';
import {sizeOf, valuesOf} from './cpu_util';
import {scale} from './LRN';
import {channelWindowSum} from './window_sum';

// MindSpore LRNGrad, s = bias + alpha * sqr_sum:
//   dx[c] = dy[c] * s[c]^-beta
//           - 2 * alpha * beta * x[c] * sum_{|c'-c|<=r} dy[c'] * x[c'] * s[c']^(-beta-1)
// The window is symmetric, so the inner sum is the same sliding window as the forward pass.
export function msLRNGrad(
    args: {inputs: MsLRNGradInputs, backend: MathBackendCPU, attrs: MsLRNGradAttrs}): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const [batch, channels] = x!.shape;
  const plane = sizeOf(x!.shape, 2);
  const sampleSize = channels * plane;
  const dx = new Float32Array(xVals.length);
  const work = new Float64Array(sampleSize);
  const sums = new Float64Array(sampleSize);
  const sPowBeta = new Float64Array(sampleSize);
  for (let n = 0; n < batch; n++) {
    const off = n * sampleSize;
    for (let i = 0; i < sampleSize; i++) {
      const v = xVals[off + i];
      work[i] = v * v;
    }
    channelWindowSum(work, sums, channels, plane, depthRadius);
    for (let i = 0; i < sampleSize; i++) {
      const s = bias + alpha * sums[i];
      const sb = scale(s, beta);
      sPowBeta[i] = sb;
      work[i] = dyVals[off + i] * xVals[off + i] * sb / s;
    }
    channelWindowSum(work, sums, channels, plane, depthRadius);
    const k = 2 * alpha * beta;
    for (let i = 0; i < sampleSize; i++) {
      dx[off + i] = dyVals[off + i] * sPowBeta[i] - k * xVals[off + i] * sums[i];
    }
  }
  return backend.makeTensorInfo(x!.shape, 'float32', dx);
}

export const msLRNGradConfig: KernelConfig = {
  kernelName: MsLRNGrad,
  backendName: 'cpu',
  kernelFunc: msLRNGrad as unknown as KernelFunc,
};
