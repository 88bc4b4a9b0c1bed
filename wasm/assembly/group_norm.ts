// SPDX-License-Identifier: Apache-2.0
// GroupNorm on (N, C, *) and its gradient; InstanceNorm is the case
// numGroups = C. A group is one contiguous block of C / numGroups rows of
// `inner` values; statistics take two passes (mean, squared deviations).
import {f32at, f64at} from './vec';
import {rowDySums, rowGradient, rowNormalize, rowSquaredDeviation, rowSum, secondSum} from './rows';

// out = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c], biased variance per group.
export function groupNorm(
    x: usize, gamma: usize, beta: usize, out: usize, batch: i32, channels: i32, inner: i32,
    numGroups: i32, epsilon: f64): void {
  const perGroup = channels / numGroups;
  const groupSize = perGroup * inner;
  if (groupSize == 0) return;
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < numGroups; g++) {
      const start = (n * numGroups + g) * groupSize;
      const xs = f32at(x, start);
      const mean = rowSum(xs, groupSize) / <f64>groupSize;
      const invStd = 1 / Math.sqrt(rowSquaredDeviation(xs, groupSize, mean) / <f64>groupSize + epsilon);
      for (let j = 0; j < perGroup; j++) {
        const c = g * perGroup + j;
        const e = start + j * inner;
        rowNormalize(f32at(x, e), f32at(out, e), inner, mean,
                     <f64>load<f32>(f32at(gamma, c)) * invStd, <f64>load<f32>(f32at(beta, c)));
      }
    }
  }
}

// Per group of K values, xhat = (x - mean) * invStd, g = dy * gamma[c]:
//   dx = invStd * (g - mean(g) - xhat * mean(g * xhat)),
//   dgamma[c] = sum(dy * xhat), dbeta[c] = sum(dy) over samples and positions.
// scratch: 2 * channels + 2 * perGroup float64.
export function groupNormGrad(
    x: usize, gamma: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, batch: i32,
    channels: i32, inner: i32, numGroups: i32, epsilon: f64, scratch: usize): void {
  const perGroup = channels / numGroups;
  const groupSize = perGroup * inner;
  const accGamma = scratch;
  const accBeta = f64at(scratch, channels);
  const sumDy = f64at(scratch, 2 * channels);
  const sumDyXc = f64at(scratch, 2 * channels + perGroup);
  memory.fill(scratch, 0, <usize>(2 * channels) << 3);
  for (let n = 0; n < batch && groupSize > 0; n++) {
    for (let grp = 0; grp < numGroups; grp++) {
      const start = (n * numGroups + grp) * groupSize;
      const c0 = grp * perGroup;
      const mean = rowSum(f32at(x, start), groupSize) / <f64>groupSize;
      let sqDev: f64 = 0;
      let sumG: f64 = 0;
      let sumGXc: f64 = 0;
      for (let j = 0; j < perGroup; j++) {
        const e = start + j * inner;
        sqDev += rowSquaredDeviation(f32at(x, e), inner, mean);
        const s = rowDySums(f32at(dy, e), f32at(x, e), inner, mean);
        const t = secondSum;
        store<f64>(f64at(sumDy, j), s);
        store<f64>(f64at(sumDyXc, j), t);
        const gm = <f64>load<f32>(f32at(gamma, c0 + j));
        sumG += gm * s;
        sumGXc += gm * t;
      }
      const invStd = 1 / Math.sqrt(sqDev / <f64>groupSize + epsilon);
      for (let j = 0; j < perGroup; j++) {
        const pb = f64at(accBeta, c0 + j);
        const pg = f64at(accGamma, c0 + j);
        store<f64>(pb, load<f64>(pb) + load<f64>(f64at(sumDy, j)));
        store<f64>(pg, load<f64>(pg) + load<f64>(f64at(sumDyXc, j)) * invStd);
      }
      // dx = a[c] * dy + b * (x - mean) + d
      const b = -invStd * invStd * invStd * sumGXc / <f64>groupSize;
      const d = -invStd * sumG / <f64>groupSize;
      for (let j = 0; j < perGroup; j++) {
        const e = start + j * inner;
        rowGradient(f32at(dy, e), f32at(x, e), f32at(dx, e), inner, mean,
                    <f64>load<f32>(f32at(gamma, c0 + j)) * invStd, b, d);
      }
    }
  }
  for (let c = 0; c < channels; c++) {
    store<f32>(f32at(dgamma, c), <f32>load<f64>(f64at(accGamma, c)));
    store<f32>(f32at(dbeta, c), <f32>load<f64>(f64at(accBeta, c)));
  }
}
