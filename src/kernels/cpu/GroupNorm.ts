import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormAttrs, MsGroupNormInputs} from '../../kernel_names';
import {sizeOf, valuesOf} from './cpu_util';

// MindSpore GroupNorm on (N, C, *): per sample and group of C / numGroups
// consecutive channels, out = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c]
// with the BIASED variance. A group is one contiguous block of the buffer;
// statistics take two passes (mean, then squared deviations), then one writes.
export function msGroupNorm(args: {
  inputs: MsGroupNormInputs,
  backend: MathBackendCPU,
  attrs: MsGroupNormAttrs,
}): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {numGroups, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const gammaVals = valuesOf(backend, gamma!);
  const betaVals = valuesOf(backend, beta!);
  const [batch, channels] = x!.shape;
  const inner = sizeOf(x!.shape, 2);
  const perGroup = channels / numGroups;
  const groupSize = perGroup * inner;
  const out = new Float32Array(xVals.length);
  if (groupSize === 0) {
    return backend.makeTensorInfo(x!.shape, 'float32', out);
  }
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < numGroups; g++) {
      const start = (n * numGroups + g) * groupSize;
      const end = start + groupSize;
      let sum = 0;
      for (let e = start; e < end; e++) {
        sum += xVals[e];
      }
      const mean = sum / groupSize;
      let sqDev = 0;
      for (let e = start; e < end; e++) {
        const d = xVals[e] - mean;
        sqDev += d * d;
      }
      const invStd = 1 / Math.sqrt(sqDev / groupSize + epsilon);
      let e = start;
      for (let c = g * perGroup; c < (g + 1) * perGroup; c++) {
        const k = gammaVals[c] * invStd;
        const b = betaVals[c];
        for (let i = 0; i < inner; i++, e++) {
          out[e] = (xVals[e] - mean) * k + b;
        }
      }
    }
  }
  return backend.makeTensorInfo(x!.shape, 'float32', out);
}

export const msGroupNormConfig: KernelConfig = {
  kernelName: MsGroupNorm,
  backendName: 'cpu',
  kernelFunc: msGroupNorm as unknown as KernelFunc,
};
