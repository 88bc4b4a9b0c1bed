import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNInputs} from '../../kernel_names';
import {sizeOf, valuesOf} from './cpu_util';
import {channelWindowSum} from './window_sum';

// MindSpore LRN on NCHW: out = x / (bias + alpha * sqr_sum)^beta, sqr_sum over
// channels [c - r, c + r]; alpha is not divided by the window size.
export function msLRN(args: {inputs: MsLRNInputs, backend: MathBackendCPU, attrs: MsLRNAttrs}):
    TensorInfo {
  const {inputs: {x}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  const xVals = valuesOf(backend, x!);
  const [batch, channels] = x!.shape;
  const plane = sizeOf(x!.shape, 2);
  const sampleSize = channels * plane;
  const out = new Float32Array(xVals.length);
  const squares = new Float64Array(sampleSize);
  const sqrSum = new Float64Array(sampleSize);
  for (let n = 0; n < batch; n++) {
    const off = n * sampleSize;
    for (let i = 0; i < sampleSize; i++) {
      const v = xVals[off + i];
      squares[i] = v * v;
    }
    channelWindowSum(squares, sqrSum, channels, plane, depthRadius);
    for (let i = 0; i < sampleSize; i++) {
      out[off + i] = xVals[off + i] * scale(bias + alpha * sqrSum[i], beta);
    }
  }
  return backend.makeTensorInfo(x!.shape, 'float32', out);
}

/** s^-beta, with the common exponents spelled out (Math.pow is several times slower). */
export function scale(s: number, beta: number): number {
  if (beta === 0.5) {
    return 1 / Math.sqrt(s);
  }
  if (beta === 0.75) {
    const r = 1 / Math.sqrt(s);
    return r * Math.sqrt(r);
  }
  return Math.pow(s, -beta);
}

export const msLRNConfig: KernelConfig = {
  kernelName: MsLRN,
  backendName: 'cpu',
  kernelFunc: msLRN as unknown as KernelFunc,
};
