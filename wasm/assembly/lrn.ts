// SPDX-License-Identifier: Apache-2.0
// The same window loop as src/kernels/cpu/LRN.ts, the path without WebAssembly SIMD.
// MindSpore LRN on NCHW: out = x / (bias + alpha * sqr_sum)^beta, sqr_sum over
// channels [c - r, c + r]; alpha is not divided by the window size. Works on
// [C, tile] blocks of positions, two positions per f64x2, so x is read from
// memory once and out written once.
import {f32at, f64at, load2, splat, store2} from './vec';
import {hostPow, initSquareWindow, powerKind, RECIPROCAL, RSQRT, RSQRT_3_4, slideOne, slidePair} from './window';

// tile: positions per [C, tile] block (the caller's cache budget); scratch: tile float64.
export function lrn(
    x: usize, out: usize, batch: i32, channels: i32, plane: i32, radius: i32, bias: f64,
    alpha: f64, beta: f64, tile: i32, scratch: usize): void {
  const power = powerKind(beta);
  for (let n = 0; n < batch; n++) {
    for (let p0 = 0; p0 < plane; p0 += tile) {
      const width = min(tile, plane - p0);
      const base = n * channels * plane + p0;
      initSquareWindow(x, base, plane, channels, width, radius, scratch);
      for (let c = 0; c < channels; c++) {
        lrnRow(x, out, base, plane, channels, width, radius, c, scratch, bias, alpha, beta, power);
      }
    }
  }
}

/** s^-beta for one value. */
@inline export function powScalar(s: f64, beta: f64, power: i32): f64 {
  if (power == RSQRT) return 1 / Math.sqrt(s);
  if (power == RSQRT_3_4) {
    const q = 1 / Math.sqrt(s);
    return q * Math.sqrt(q);
  }
  if (power == RECIPROCAL) return 1 / s;
  return hostPow(s, -beta);
}

/** s^-beta for two values. */
@inline export function powPair(s: v128, beta: f64, power: i32): v128 {
  const one = splat(1);
  if (power == RSQRT) return f64x2.div(one, f64x2.sqrt(s));
  if (power == RSQRT_3_4) {
    const q = f64x2.div(one, f64x2.sqrt(s));
    return f64x2.mul(q, f64x2.sqrt(q));
  }
  if (power == RECIPROCAL) return f64x2.div(one, s);
  return f64x2(hostPow(f64x2.extract_lane(s, 0), -beta), hostPow(f64x2.extract_lane(s, 1), -beta));
}

/**
 * Channel c of a block: out = x * (bias + alpha * acc)^-beta, then slides acc
 * from channel c's window to channel c + 1's.
 */
function lrnRow(
    x: usize, out: usize, base: i32, plane: i32, channels: i32, width: i32, radius: i32, c: i32,
    acc: usize, bias: f64, alpha: f64, beta: f64, power: i32): void {
  const o = base + c * plane;
  const enter = c + radius + 1;
  const leave = c - radius;
  const vb = splat(bias);
  const va = splat(alpha);
  let p = 0;
  for (; p + 2 <= width; p += 2) {
    const a = f64at(acc, p);
    let sum = v128.load(a);
    const s = f64x2.add(vb, f64x2.mul(va, sum));
    store2(f32at(out, o + p), f64x2.mul(load2(f32at(x, o + p)), powPair(s, beta, power)));
    sum = slidePair(sum, x, base, plane, channels, p, enter, leave);
    v128.store(a, sum);
  }
  for (; p < width; p++) {
    const a = f64at(acc, p);
    let sum = load<f64>(a);
    const s = bias + alpha * sum;
    store<f32>(f32at(out, o + p), <f32>(<f64>load<f32>(f32at(x, o + p)) * powScalar(s, beta, power)));
    sum = slideOne(sum, x, base, plane, channels, p, enter, leave);
    store<f64>(a, sum);
  }
}
