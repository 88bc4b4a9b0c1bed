// SPDX-License-Identifier: Apache-2.0
import {square, sub, Tensor} from '@tensorflow/tfjs-core';

import {emptySafeMean} from './fallback_util';

/**
 * Mean and BIASED variance over `axes` (kept as size-1 dims), computed in two
 * passes (mean of the squared deviations, not E[x^2] - mean^2) for stability.
 */
export function centeredMoments(x: Tensor, axes: number[]):
    {mean: Tensor, centered: Tensor, variance: Tensor} {
  const m = emptySafeMean(x, axes, true);
  const centered = sub(x, m);
  return {mean: m, centered, variance: emptySafeMean(square(centered), axes, true)};
}
