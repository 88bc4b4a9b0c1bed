// SPDX-License-Identifier: Apache-2.0
// Loops over a contiguous float32 row, eight values (four f64x2 lanes pairs)
// per step with independent float64 accumulators; tails are scalar. Sums are
// float64 throughout, as in the JavaScript kernels; only the association of
// the additions differs from a left-to-right sum.
import {f32at, hi, hsum, lo, pack, splat} from './vec';

/** The second result of the two-sum loops (wasm globals cost no memory). */
export let secondSum: f64 = 0;

/** sum of a[i]. */
export function rowSum(a: usize, n: i32): f64 {
  let s0 = splat(0);
  let s1 = splat(0);
  let s2 = splat(0);
  let s3 = splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = f32at(a, i);
    const v = v128.load(p);
    const w = v128.load(p, 16);
    s0 = f64x2.add(s0, lo(v));
    s1 = f64x2.add(s1, hi(v));
    s2 = f64x2.add(s2, lo(w));
    s3 = f64x2.add(s3, hi(w));
  }
  let s = hsum(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)));
  for (; i < n; i++) {
    s += <f64>load<f32>(f32at(a, i));
  }
  return s;
}

/** sum of (a[i] - mean)^2: the stable second pass of a variance. */
export function rowSquaredDeviation(a: usize, n: i32, mean: f64): f64 {
  const m = splat(mean);
  let s0 = splat(0);
  let s1 = splat(0);
  let s2 = splat(0);
  let s3 = splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = f32at(a, i);
    const v = v128.load(p);
    const w = v128.load(p, 16);
    const d0 = f64x2.sub(lo(v), m);
    const d1 = f64x2.sub(hi(v), m);
    const d2 = f64x2.sub(lo(w), m);
    const d3 = f64x2.sub(hi(w), m);
    s0 = f64x2.add(s0, f64x2.mul(d0, d0));
    s1 = f64x2.add(s1, f64x2.mul(d1, d1));
    s2 = f64x2.add(s2, f64x2.mul(d2, d2));
    s3 = f64x2.add(s3, f64x2.mul(d3, d3));
  }
  let s = hsum(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)));
  for (; i < n; i++) {
    const d = <f64>load<f32>(f32at(a, i)) - mean;
    s += d * d;
  }
  return s;
}

/** sum of a[i] * b[i]. */
export function rowDot(a: usize, b: usize, n: i32): f64 {
  let s0 = splat(0);
  let s1 = splat(0);
  let s2 = splat(0);
  let s3 = splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = f32at(a, i);
    const q = f32at(b, i);
    const v = v128.load(p);
    const w = v128.load(p, 16);
    const x = v128.load(q);
    const z = v128.load(q, 16);
    s0 = f64x2.add(s0, f64x2.mul(lo(v), lo(x)));
    s1 = f64x2.add(s1, f64x2.mul(hi(v), hi(x)));
    s2 = f64x2.add(s2, f64x2.mul(lo(w), lo(z)));
    s3 = f64x2.add(s3, f64x2.mul(hi(w), hi(z)));
  }
  let s = hsum(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)));
  for (; i < n; i++) {
    s += <f64>load<f32>(f32at(a, i)) * <f64>load<f32>(f32at(b, i));
  }
  return s;
}

/** out[i] = (x[i] - mean) * scale + offset. */
export function rowNormalize(
    x: usize, out: usize, n: i32, mean: f64, scale: f64, offset: f64): void {
  const m = splat(mean);
  const k = splat(scale);
  const b = splat(offset);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(f32at(x, i));
    const y0 = f64x2.add(f64x2.mul(f64x2.sub(lo(v), m), k), b);
    const y1 = f64x2.add(f64x2.mul(f64x2.sub(hi(v), m), k), b);
    v128.store(f32at(out, i), pack(y0, y1));
  }
  for (; i < n; i++) {
    store<f32>(f32at(out, i), <f32>((<f64>load<f32>(f32at(x, i)) - mean) * scale + offset));
  }
}

/** out[i] = dy[i] * p + (x[i] - mean) * q + r: the shape of every dx here. */
export function rowGradient(
    dy: usize, x: usize, out: usize, n: i32, mean: f64, p: f64, q: f64, r: f64): void {
  const m = splat(mean);
  const vp = splat(p);
  const vq = splat(q);
  const vr = splat(r);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const g = v128.load(f32at(dy, i));
    const v = v128.load(f32at(x, i));
    const y0 = f64x2.add(f64x2.add(f64x2.mul(lo(g), vp), f64x2.mul(f64x2.sub(lo(v), m), vq)), vr);
    const y1 = f64x2.add(f64x2.add(f64x2.mul(hi(g), vp), f64x2.mul(f64x2.sub(hi(v), m), vq)), vr);
    v128.store(f32at(out, i), pack(y0, y1));
  }
  for (; i < n; i++) {
    const g = <f64>load<f32>(f32at(dy, i));
    const v = <f64>load<f32>(f32at(x, i));
    store<f32>(f32at(out, i), <f32>(g * p + (v - mean) * q + r));
  }
}

/**
 * Returns sum of dy[i] and leaves sum of dy[i] * (x[i] - mean) in secondSum:
 * the two reductions of every normalization gradient, in one pass.
 */
export function rowDySums(dy: usize, x: usize, n: i32, mean: f64): f64 {
  const m = splat(mean);
  let s0 = splat(0);
  let s1 = splat(0);
  let t0 = splat(0);
  let t1 = splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const g = v128.load(f32at(dy, i));
    const v = v128.load(f32at(x, i));
    const g0 = lo(g);
    const g1 = hi(g);
    s0 = f64x2.add(s0, g0);
    s1 = f64x2.add(s1, g1);
    t0 = f64x2.add(t0, f64x2.mul(g0, f64x2.sub(lo(v), m)));
    t1 = f64x2.add(t1, f64x2.mul(g1, f64x2.sub(hi(v), m)));
  }
  let s = hsum(f64x2.add(s0, s1));
  let t = hsum(f64x2.add(t0, t1));
  for (; i < n; i++) {
    const g = <f64>load<f32>(f32at(dy, i));
    s += g;
    t += g * (<f64>load<f32>(f32at(x, i)) - mean);
  }
  secondSum = t;
  return s;
}
