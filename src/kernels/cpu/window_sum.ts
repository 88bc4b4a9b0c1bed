/**
 * Sliding window over channels of an NCHW buffer: for one sample, with
 * channel stride `plane` (= H*W),
 *   dst[c, p] = sum over c' in [c - r, c + r] ∩ [0, C) of src[c', p].
 * Each step adds the entering channel and drops the leaving one, so the cost
 * is O(C * plane) whatever r is. When dropping a term cancels most of the
 * running sum (a huge value leaving a window of small ones), that window is
 * summed afresh so float64 rounding never shows in the float32 result.
 *
 * The LRN kernels work on tiles of WINDOW_TILE positions ([C, tile] blocks),
 * so the block and the running sums stay in cache.
 */
import {TypedArray} from '@tensorflow/tfjs-core';

export const WINDOW_TILE = 1024;

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

/**
 * Starts a window over a [channels, width] float64 block: acc[p] = sum of
 * src[c', p] over c' in [0, r] ∩ [0, C), the window of channel 0.
 */
export function initWindow(
    src: Float64Array, channels: number, width: number, radius: number, acc: Float64Array): void {
  acc.fill(0, 0, width);
  const last = Math.min(radius, channels - 1);
  for (let c = 0; c <= last; c++) {
    const off = c * width;
    for (let p = 0; p < width; p++) {
      acc[p] += src[off + p];
    }
  }
}

/** Slides acc from channel c's window of a [channels, width] block to channel c + 1's. */
export function windowSum(
    src: Float64Array, channels: number, width: number, radius: number, c: number,
    acc: Float64Array): void {
  const enter = c + radius + 1;
  const leave = c - radius;
  const entering = enter < channels;
  const leaving = leave >= 0;
  const enterOff = enter * width;
  const leaveOff = leave * width;
  if (!entering && !leaving) {
    return;
  }
  for (let p = 0; p < width; p++) {
    let sum = acc[p];
    if (entering) {
      sum += src[enterOff + p];
    }
    if (leaving) {
      const gone = src[leaveOff + p];
      sum -= gone;
      if (Math.abs(sum) < 1e-6 * Math.abs(gone)) {
        sum = 0;
        for (let k = leave + 1, hi = Math.min(enter, channels - 1); k <= hi; k++) {
          sum += src[k * width + p];
        }
      }
    }
    acc[p] = sum;
  }
}
