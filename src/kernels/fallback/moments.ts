// SPDX-License-Identifier: Apache-2.0
import {add, slice, square, sub, Tensor} from '@tensorflow/tfjs-core';

import {emptySafeMean} from './fallback_util';

/**
 * Mean and BIASED variance over `axes` (kept as size-1 dims), computed in two
 * passes (mean of the squared deviations, not E[x^2] - mean^2) for stability,
 * around a shift (each slice's first element), as the GPU kernels: a float32
 * mean of values near 1e4 misses unit-scale statistics by 1e-4 to 1e-3, the
 * mean of their offsets from the shift does not.
 */
export function centeredMoments(x: Tensor, axes: number[]):
    {mean: Tensor, centered: Tensor, variance: Tensor} {
  if (x.size === 0) {  // no first element; the statistics are NaN
    const m = emptySafeMean(x, axes, true);
    return {mean: m, centered: sub(x, m), variance: emptySafeMean(x, axes, true)};
  }
  const shift = slice(x, x.shape.map(() => 0), x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  const shifted = sub(x, shift);
  const m = emptySafeMean(shifted, axes, true);
  const centered = sub(shifted, m);
  return {mean: add(m, shift), centered, variance: emptySafeMean(square(centered), axes, true)};
}
