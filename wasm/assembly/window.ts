// SPDX-License-Identifier: Apache-2.0
// The sliding channel window of the LRN kernels on NCHW data, for a block of
// `width` positions of one sample (channel stride `plane`): each step adds the
// entering channel's square and drops the leaving one, so the cost does not
// depend on the radius. A drop that cancels most of the running sum (a huge
// value leaving a window of small ones) re-sums that window afresh.
import {f32at, f64at, load2, splat} from './vec';

/** Relative size below which a running sum is re-summed after a drop. */
export const CANCELLATION: f64 = 1e-6;

/** acc[p] = sum of x[c, p]^2 over c in [0, r] ∩ [0, C): channel 0's window. */
export function initSquareWindow(
    x: usize, base: i32, plane: i32, channels: i32, width: i32, radius: i32, acc: usize): void {
  memory.fill(acc, 0, <usize>width << 3);
  const last = min(radius, channels - 1);
  for (let c = 0; c <= last; c++) {
    const row = f32at(x, base + c * plane);
    let p = 0;
    for (; p + 2 <= width; p += 2) {
      const v = f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(row, p)));
      const a = f64at(acc, p);
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(v, v)));
    }
    for (; p < width; p++) {
      const v = <f64>load<f32>(f32at(row, p));
      const a = f64at(acc, p);
      store<f64>(a, load<f64>(a) + v * v);
    }
  }
}

/** Sum of x[base + k * plane + p]^2 for k in [lo, hi]: a window summed afresh. */
export function squareSum(x: usize, base: i32, plane: i32, p: i32, lo: i32, hi: i32): f64 {
  let sum: f64 = 0;
  for (let k = lo; k <= hi; k++) {
    const v = <f64>load<f32>(f32at(x, base + k * plane + p));
    sum += v * v;
  }
  return sum;
}

/**
 * The window sums of squares at positions p and p + 1 slid from channel c's
 * window to channel c + 1's (enter = c + r + 1, leave = c - r): adds the
 * entering channel's squares, drops the leaving one's, and sums a window
 * afresh where the drop cancels most of its sum.
 */
@inline export function slidePair(
    sum: v128, x: usize, base: i32, plane: i32, channels: i32, p: i32, enter: i32, leave: i32): v128 {
  if (enter < channels) {
    const v = load2(f32at(x, base + enter * plane + p));
    sum = f64x2.add(sum, f64x2.mul(v, v));
  }
  if (leave >= 0) {
    const v = load2(f32at(x, base + leave * plane + p));
    const gone = f64x2.mul(v, v);
    sum = f64x2.sub(sum, gone);
    if (v128.any_true(f64x2.lt(f64x2.abs(sum), f64x2.mul(splat(CANCELLATION), gone)))) {
      const hi = min(enter, channels - 1);
      sum = f64x2(squareSum(x, base, plane, p, leave + 1, hi),
                  squareSum(x, base, plane, p + 1, leave + 1, hi));
    }
  }
  return sum;
}

/** slidePair for one position p. */
@inline export function slideOne(
    sum: f64, x: usize, base: i32, plane: i32, channels: i32, p: i32, enter: i32, leave: i32): f64 {
  if (enter < channels) {
    const v = <f64>load<f32>(f32at(x, base + enter * plane + p));
    sum += v * v;
  }
  if (leave >= 0) {
    const v = <f64>load<f32>(f32at(x, base + leave * plane + p));
    const gone = v * v;
    sum -= gone;
    if (Math.abs(sum) < CANCELLATION * gone) {
      sum = squareSum(x, base, plane, p, leave + 1, min(enter, channels - 1));
    }
  }
  return sum;
}

/** How s^-beta is computed: pow is several times slower than sqrt. */
export const RSQRT: i32 = 0;      // beta = 0.5
export const RSQRT_3_4: i32 = 1;  // beta = 0.75
export const RECIPROCAL: i32 = 2; // beta = 1
export const POW: i32 = 3;

export function powerKind(beta: f64): i32 {
  return beta == 0.5 ? RSQRT : beta == 0.75 ? RSQRT_3_4 : beta == 1 ? RECIPROCAL : POW;
}

/**
 * s^y for the exponents without a special case, imported from the host
 * (JavaScript's Math.pow): AssemblyScript's own pow would bring lookup tables
 * as data segments, which must not be written into an imported memory.
 */
@external("env", "pow")
export declare function hostPow(s: f64, y: f64): f64;
