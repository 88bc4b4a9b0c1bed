// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormAttrs, MsGroupNormInputs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {rangeNormalize, rangeSquaredDeviation, rangeSum} from './row_math';

// MindSpore GroupNorm on (N, C, *): per sample and group of C / numGroups
// consecutive channels, out = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c]
// with the BIASED variance. A group is one contiguous block of the buffer;
// statistics take two passes (mean, then squared deviations), then one writes.
export function msGroupNorm(args: CpuKernelArgs<MsGroupNormInputs, MsGroupNormAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {numGroups, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const gammaVals = valuesOf(backend, gamma!);
  const betaVals = valuesOf(backend, beta!);
  const {batch, inner, perGroup, groupSize} = groupLayout(x!.shape, numGroups);
  const out = new Float32Array(xVals.length);
  if (groupSize === 0) {
    return backend.makeTensorInfo(x!.shape, 'float32', out);
  }
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < numGroups; g++) {
      const start = (n * numGroups + g) * groupSize;
      const end = start + groupSize;
      const mean = rangeSum(xVals, start, end) / groupSize;
      const invStd =
          1 / Math.sqrt(rangeSquaredDeviation(xVals, start, end, mean) / groupSize + epsilon);
      for (let c = g * perGroup, e = start; c < (g + 1) * perGroup; c++, e += inner) {
        rangeNormalize(xVals, out, e, e + inner, mean, gammaVals[c] * invStd, betaVals[c]);
      }
    }
  }
  return backend.makeTensorInfo(x!.shape, 'float32', out);
}

/**
 * How (N, C, *) splits into groups: `perGroup` channels of `inner` positions,
 * each group one contiguous run of `groupSize` values.
 */
export function groupLayout(shape: number[], numGroups: number):
    {batch: number, channels: number, inner: number, perGroup: number, groupSize: number} {
  const [batch, channels] = shape;
  const inner = sizeOfDims(shape, 2);
  const perGroup = channels / numGroups;
  return {batch, channels, inner, perGroup, groupSize: perGroup * inner};
}

export const MsGroupNormConfig = cpuKernelConfig(MsGroupNorm, msGroupNorm);
