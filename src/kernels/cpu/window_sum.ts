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
 *
 * wasm/assembly/lrn.ts and lrn_grad.ts run the same window loops in
 * AssemblyScript, on purpose: these JavaScript kernels are the path where
 * WebAssembly SIMD is missing.
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

/**
 * Where a window over the channels of a [channels, width] block moves when it
 * slides from channel c's window to channel c + 1's: the rows entering and
 * leaving, and the channels a fresh sum covers. One per kernel call, set per
 * row (setSlide), so the per-position loop allocates nothing.
 */
export interface Slide {
  base: number;
  plane: number;
  entering: boolean;
  leaving: boolean;
  enterOff: number;
  leaveOff: number;
  /** The channels of the window after the slide, [lo, hi], for a fresh sum. */
  lo: number;
  hi: number;
}

export function newSlide(): Slide {
  return {base: 0, plane: 0, entering: false, leaving: false, enterOff: 0, leaveOff: 0, lo: 0, hi: 0};
}

/** Sets `slide` for row c of the block at `base` (channel stride `plane`). */
export function setSlide(
    slide: Slide, base: number, plane: number, channels: number, radius: number, c: number): void {
  const enter = c + radius + 1;
  const leave = c - radius;
  slide.base = base;
  slide.plane = plane;
  slide.entering = enter < channels;
  slide.leaving = leave >= 0;
  slide.enterOff = base + enter * plane;
  slide.leaveOff = base + leave * plane;
  slide.lo = leave + 1;
  slide.hi = Math.min(enter, channels - 1);
}

/**
 * Position p's window sum of squares `sum`, slid: the entering square added,
 * the leaving one dropped, and the window summed afresh when the drop cancels
 * most of the sum (CANCELLATION_RATIO). The caller passes the slide's fields
 * it reads per position as locals: loads from the object in the loop cost
 * the forward pass ~15%.
 */
export function slideSquares(
    x: TypedArray, sum: number, p: number, entering: boolean, leaving: boolean, enterOff: number,
    leaveOff: number, slide: Slide): number {
  if (entering) {
    const v = x[enterOff + p];
    sum += v * v;
  }
  if (leaving) {
    const v = x[leaveOff + p];
    const gone = v * v;
    sum -= gone;
    if (Math.abs(sum) < CANCELLATION_RATIO * gone) {
      sum = squareSum(x, slide.base, slide.plane, p, slide.lo, slide.hi);
    }
  }
  return sum;
}
