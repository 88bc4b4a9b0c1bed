// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNormGrad, MsGroupNormGradAttrs, MsGroupNormGradInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {groupLayout} from './GroupNorm';
import {rangeDySums, rangeGradient, rangeSquaredDeviation, rangeSum} from './row_math';

// GroupNorm backward, statistics recomputed from x. Per group of K values with
// xhat = (x - mean) * invStd and g = dy * gamma[c]:
//   dx = invStd * (g - mean(g) - xhat * mean(g * xhat)),
//   dgamma[c] = sum(dy * xhat), dbeta[c] = sum(dy)   (over samples and positions).
// Outputs [dx, dgamma, dbeta]. Passes per group: mean; per channel row, squared
// deviations and the dy sums (the row is then in cache); dx.
export function msGroupNormGrad(
    args: CpuKernelArgs<MsGroupNormGradInputs, MsGroupNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {numGroups, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const gammaVals = valuesOf(backend, gamma!);
  const {batch, channels, inner, perGroup, groupSize} = groupLayout(x!.shape, numGroups);
  const dx = new Float32Array(xVals.length);
  const dgamma = new Float64Array(channels);
  const dbeta = new Float64Array(channels);
  // Per channel of the current group: sum(dy), sum(dy * (x - mean)).
  const sumDy = new Float64Array(perGroup);
  const sumDyXc = new Float64Array(perGroup);
  const pair = new Float64Array(2);
  for (let n = 0; n < batch && groupSize > 0; n++) {
    for (let grp = 0; grp < numGroups; grp++) {
      const start = (n * numGroups + grp) * groupSize;
      const end = start + groupSize;
      const c0 = grp * perGroup;
      const mean = rangeSum(xVals, start, end) / groupSize;

      let sqDev = 0;
      let sumG = 0;
      let sumGXc = 0;
      for (let j = 0, e = start; j < perGroup; j++, e += inner) {
        sqDev += rangeSquaredDeviation(xVals, e, e + inner, mean);
        rangeDySums(dyVals, xVals, e, e + inner, mean, pair);
        sumDy[j] = pair[0];
        sumDyXc[j] = pair[1];
        sumG += gammaVals[c0 + j] * pair[0];
        sumGXc += gammaVals[c0 + j] * pair[1];
      }
      const invStd = 1 / Math.sqrt(sqDev / groupSize + epsilon);
      for (let j = 0; j < perGroup; j++) {
        dbeta[c0 + j] += sumDy[j];
        dgamma[c0 + j] += sumDyXc[j] * invStd;
      }

      // dx = a[c] * dy + b * (x - mean) + d
      const b = -invStd * invStd * invStd * sumGXc / groupSize;
      const d = -invStd * sumG / groupSize;
      for (let j = 0, e = start; j < perGroup; j++, e += inner) {
        rangeGradient(dyVals, xVals, dx, e, e + inner, mean, gammaVals[c0 + j] * invStd, b, d);
      }
    }
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', dx),
    backend.makeTensorInfo([channels], 'float32', Float32Array.from(dgamma)),
    backend.makeTensorInfo([channels], 'float32', Float32Array.from(dbeta)),
  ];
}

export const MsGroupNormGradConfig = cpuKernelConfig(MsGroupNormGrad, msGroupNormGrad);
