// SPDX-License-Identifier: Apache-2.0
// The same window loops as src/kernels/cpu/LRNGrad.ts, the path without WebAssembly SIMD.
// MindSpore LRNGrad, s = bias + alpha * sqr_sum:
//   dx[c] = dy[c] * s[c]^-beta
//           - 2 alpha beta * x[c] * sum_{|c'-c|<=r} dy[c'] * x[c'] * s[c']^(-beta-1)
// One sweep over the channels of each [C, tile] block: row j gets s^-beta and
// w = dy * x * s^(-beta-1) (sliding over x^2), and dx of channel j - r
// follows, its window of w being complete. Rows of s^-beta and w live in a
// ring of 2r + 2 rows, so the block stays in cache.
import {f32at, f64at, load2, splat, store2} from './vec';
import {CANCELLATION, hostPow, initSquareWindow, powerKind, RECIPROCAL, RSQRT, RSQRT_3_4, slideOne, slidePair} from './window';

/** The ring's rows for a radius already clamped to C - 1. */
@inline function ringRowsOf(radius: i32, channels: i32): i32 {
  return min(2 * radius + 2, channels);
}

// radius must be clamped to [0, C - 1] by the caller; tile: positions per
// [C, tile] block; scratch: (2 + 2 * ringRows) * tile float64.
export function lrnGrad(
    x: usize, dy: usize, dx: usize, batch: i32, channels: i32, plane: i32, radius: i32, bias: f64,
    alpha: f64, beta: f64, tile: i32, scratch: usize): void {
  const ringRows = ringRowsOf(radius, channels);
  const sqAcc = scratch;
  const wAcc = f64at(scratch, tile);
  const sPowBeta = f64at(scratch, 2 * tile);
  const w = f64at(scratch, (2 + ringRows) * tile);
  const power = powerKind(beta);
  for (let n = 0; n < batch; n++) {
    for (let p0 = 0; p0 < plane; p0 += tile) {
      const width = min(tile, plane - p0);
      const base = n * channels * plane + p0;
      initSquareWindow(x, base, plane, channels, width, radius, sqAcc);
      memory.fill(wAcc, 0, <usize>width << 3);
      for (let j = 0; j < channels + radius; j++) {
        if (j < channels) {
          powersRow(x, dy, base, plane, channels, width, radius, ringRows, j, sqAcc, wAcc, sPowBeta,
                    w, bias, alpha, beta, power);
        }
        if (j >= radius) {
          dxRow(x, dy, dx, base, plane, channels, width, radius, ringRows, j - radius, wAcc, sPowBeta,
                w, 2 * alpha * beta);
        }
      }
    }
  }
}

/** sb = s^-beta into lane-wise results, sb1 = s^(-beta-1) into powSecond. */
let powSecond: v128 = f64x2.splat(0);

@inline function powers(s: v128, beta: f64, power: i32): v128 {
  const one = splat(1);
  if (power == RSQRT) {
    const sb = f64x2.div(one, f64x2.sqrt(s));
    powSecond = f64x2.mul(f64x2.mul(sb, sb), sb);
    return sb;
  }
  if (power == RSQRT_3_4) {
    const q = f64x2.div(one, f64x2.sqrt(s));
    const sb = f64x2.mul(q, f64x2.sqrt(q));
    powSecond = f64x2.mul(f64x2.mul(sb, q), q);
    return sb;
  }
  if (power == RECIPROCAL) {
    const sb = f64x2.div(one, s);
    powSecond = f64x2.mul(sb, sb);
    return sb;
  }
  const sb = f64x2(hostPow(f64x2.extract_lane(s, 0), -beta),
                   hostPow(f64x2.extract_lane(s, 1), -beta));
  powSecond = f64x2.div(sb, s);
  return sb;
}

/**
 * Row j: s^-beta and w into the ring, w added to wAcc (row j enters the
 * window), and sqAcc slid from row j's window to j + 1's.
 */
function powersRow(
    x: usize, dy: usize, base: i32, plane: i32, channels: i32, width: i32, radius: i32,
    ringRows: i32, j: i32, sqAcc: usize, wAcc: usize, sPowBeta: usize, w: usize, bias: f64,
    alpha: f64, beta: f64, power: i32): void {
  const o = base + j * plane;
  const t = (j % ringRows) * width;
  const enter = j + radius + 1;
  const leave = j - radius;
  const vb = splat(bias);
  const va = splat(alpha);
  let p = 0;
  for (; p + 2 <= width; p += 2) {
    const a = f64at(sqAcc, p);
    let sum = v128.load(a);
    const sb = powers(f64x2.add(vb, f64x2.mul(va, sum)), beta, power);
    v128.store(f64at(sPowBeta, t + p), sb);
    const wp = f64x2.mul(f64x2.mul(load2(f32at(dy, o + p)), load2(f32at(x, o + p))), powSecond);
    v128.store(f64at(w, t + p), wp);
    const wa = f64at(wAcc, p);
    v128.store(wa, f64x2.add(v128.load(wa), wp));
    sum = slidePair(sum, x, base, plane, channels, p, enter, leave);
    v128.store(a, sum);
  }
  for (; p < width; p++) {
    const a = f64at(sqAcc, p);
    let sum = load<f64>(a);
    const sb = f64x2.extract_lane(powers(splat(bias + alpha * sum), beta, power), 0);
    const sb1 = f64x2.extract_lane(powSecond, 0);
    store<f64>(f64at(sPowBeta, t + p), sb);
    const wp = <f64>load<f32>(f32at(dy, o + p)) * <f64>load<f32>(f32at(x, o + p)) * sb1;
    store<f64>(f64at(w, t + p), wp);
    const wa = f64at(wAcc, p);
    store<f64>(wa, load<f64>(wa) + wp);
    sum = slideOne(sum, x, base, plane, channels, p, enter, leave);
    store<f64>(a, sum);
  }
}

/** Sum of w over the ring rows of channels [lo, hi] at position p: a window afresh. */
function ringSum(w: usize, ringRows: i32, width: i32, p: i32, lo: i32, hi: i32): f64 {
  let sum: f64 = 0;
  for (let i = lo; i <= hi; i++) {
    sum += load<f64>(f64at(w, (i % ringRows) * width + p));
  }
  return sum;
}

/**
 * Row c: drops row c - r - 1 from wAcc, leaving the window [c - r, c + r],
 * then dx = dy * s^-beta - 2 alpha beta * x * wAcc.
 */
function dxRow(
    x: usize, dy: usize, dx: usize, base: i32, plane: i32, channels: i32, width: i32, radius: i32,
    ringRows: i32, c: i32, wAcc: usize, sPowBeta: usize, w: usize, k: f64): void {
  const o = base + c * plane;
  const t = (c % ringRows) * width;
  const leave = c - radius - 1;
  const leaving = leave >= 0;
  const leaveOff = leaving ? (leave % ringRows) * width : 0;
  const lo = c - radius;
  const hi = min(c + radius, channels - 1);
  const vk = splat(k);
  const tiny = splat(CANCELLATION);
  let p = 0;
  for (; p + 2 <= width; p += 2) {
    const wa = f64at(wAcc, p);
    let sum = v128.load(wa);
    if (leaving) {
      const gone = v128.load(f64at(w, leaveOff + p));
      sum = f64x2.sub(sum, gone);
      if (v128.any_true(f64x2.lt(f64x2.abs(sum), f64x2.mul(tiny, f64x2.abs(gone))))) {
        sum = f64x2(ringSum(w, ringRows, width, p, lo, hi), ringSum(w, ringRows, width, p + 1, lo, hi));
      }
      v128.store(wa, sum);
    }
    const y = f64x2.sub(f64x2.mul(load2(f32at(dy, o + p)), v128.load(f64at(sPowBeta, t + p))),
                        f64x2.mul(f64x2.mul(vk, load2(f32at(x, o + p))), sum));
    store2(f32at(dx, o + p), y);
  }
  for (; p < width; p++) {
    const wa = f64at(wAcc, p);
    let sum = load<f64>(wa);
    if (leaving) {
      const gone = load<f64>(f64at(w, leaveOff + p));
      sum -= gone;
      if (Math.abs(sum) < CANCELLATION * Math.abs(gone)) {
        sum = ringSum(w, ringRows, width, p, lo, hi);
      }
      store<f64>(wa, sum);
    }
    const y = <f64>load<f32>(f32at(dy, o + p)) * load<f64>(f64at(sPowBeta, t + p)) -
        k * <f64>load<f32>(f32at(x, o + p)) * sum;
    store<f32>(f32at(dx, o + p), <f32>y);
  }
}
