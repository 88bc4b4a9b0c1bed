// SPDX-License-Identifier: Apache-2.0
/**
 * Sliding window over channels of an NCHW buffer: for one sample, with
 * channel stride `plane` (= H*W),
 *   dst[c, p] = sum over c' in [c - r, c + r] ∩ [0, C) of src[c', p].
 * Each step adds the entering channel and drops the leaving one, so the cost
 * is O(C * plane) whatever r is. When dropping a term cancels most of the
 * running sum (a huge value leaving a window of small ones), that window is
 * summed afresh so float64 rounding never shows in the float32 result.
 *
 * The LRN kernels work on [C, tile] blocks of positions (windowTile), so the
 * block and the running sums stay in cache.
 */
import {TypedArray} from '@tensorflow/tfjs-core';

import {BLOCK_ELEMENTS} from './cpu_util';

/**
 * A running sum is re-summed when dropping a term leaves less than this
 * fraction of it: its rounding error is ~2^-53 of the largest term it held, so
 * above the ratio its relative error stays below ~1e-10, far under float32's
 * 6e-8, even after thousands of slides.
 */
export const CANCELLATION_RATIO = 1e-6;

/** Positions per tile at most: wider tiles gain nothing once the loops are long. */
const MAX_TILE = 1024;

/**
 * Positions per [channels, tile] block, so that the block holds at most
 * BLOCK_ELEMENTS values (the cache budget of reduce_plan's blocks) whatever
 * the channel count.
 */
export function windowTile(channels: number, plane: number): number {
  return Math.max(1, Math.min(plane, MAX_TILE, Math.floor(BLOCK_ELEMENTS / Math.max(channels, 1))));
}

/**
 * Starts a window over the squares of x for a [channels, width] block at
 * `base` (channel stride `plane`): acc[p] = sum of x[c', p]^2 over
 * c' in [0, r] ∩ [0, C), the window of channel 0. Squares of float32 values
 * are exact in float64.
 */
export function initSquareWindow(
    x: TypedArray, base: number, plane: number, channels: number, width: number, radius: number,
    acc: Float64Array): void {
  acc.fill(0, 0, width);
  const last = Math.min(radius, channels - 1);
  for (let c = 0; c <= last; c++) {
    const off = base + c * plane;
    for (let p = 0; p < width; p++) {
      const v = x[off + p];
      acc[p] += v * v;
    }
  }
}

/** Sum of x[base + k * plane + p]^2 for k in [lo, hi]: a window summed afresh. */
export function squareSum(
    x: TypedArray, base: number, plane: number, p: number, lo: number, hi: number): number {
  let sum = 0;
  for (let k = lo; k <= hi; k++) {
    const v = x[base + k * plane + p];
    sum += v * v;
  }
  return sum;
}
