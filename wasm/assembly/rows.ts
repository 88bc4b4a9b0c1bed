// SPDX-License-Identifier: Apache-2.0
// Loops over a contiguous float32 row, eight values (four f64x2 lanes pairs)
// per step with independent float64 accumulators; tails are scalar. Sums are
// float64 throughout, as in the JavaScript kernels; only the association of
// the additions differs from a left-to-right sum.
import {f32at, hi, hsum, lo, load2, pack, splat} from './vec';

/** The second result of the two-sum loops (wasm globals cost no memory). */
export let secondSum: f64 = 0;

// What a reduction adds per value v (w: the second array's value, m: the mean).
const SUM: i32 = 0;               // v
const SQUARED_DEVIATION: i32 = 1; // (v - m)^2
const DOT: i32 = 2;               // v * w

@inline function term(kind: i32, v: v128, w: v128, m: v128): v128 {
  if (kind == SUM) return v;
  if (kind == DOT) return f64x2.mul(v, w);
  const d = f64x2.sub(v, m);
  return f64x2.mul(d, d);
}

@inline function scalarTerm(kind: i32, v: f64, w: f64, m: f64): f64 {
  if (kind == SUM) return v;
  if (kind == DOT) return v * w;
  return (v - m) * (v - m);
}

/** The reduction `kind` over a (and b for DOT), eight values per step. */
@inline function reduce(kind: i32, a: usize, b: usize, n: i32, mean: f64): f64 {
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
    const q = f32at(b, i);
    const x = kind == DOT ? v128.load(q) : v;
    const z = kind == DOT ? v128.load(q, 16) : w;
    s0 = f64x2.add(s0, term(kind, lo(v), lo(x), m));
    s1 = f64x2.add(s1, term(kind, hi(v), hi(x), m));
    s2 = f64x2.add(s2, term(kind, lo(w), lo(z), m));
    s3 = f64x2.add(s3, term(kind, hi(w), hi(z), m));
  }
  let s = hsum(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)));
  for (; i < n; i++) {
    const v = <f64>load<f32>(f32at(a, i));
    s += scalarTerm(kind, v, kind == DOT ? <f64>load<f32>(f32at(b, i)) : v, mean);
  }
  return s;
}

/** sum of a[i]. */
export function rowSum(a: usize, n: i32): f64 {
  return reduce(SUM, a, a, n, 0);
}

/** sum of (a[i] - mean)^2: the stable second pass of a variance. */
export function rowSquaredDeviation(a: usize, n: i32, mean: f64): f64 {
  return reduce(SQUARED_DEVIATION, a, a, n, mean);
}

/** sum of a[i] * b[i]. */
export function rowDot(a: usize, b: usize, n: i32): f64 {
  return reduce(DOT, a, b, n, 0);
}

/** Results of rowPairMoments: the two rows' means and sums of squared deviations. */
export let pairMean0: f64 = 0;
export let pairMean1: f64 = 0;
export let pairSquaredDeviation0: f64 = 0;
export let pairSquaredDeviation1: f64 = 0;

/**
 * The reduction `kind` over two rows of n values at a and b at once (four
 * values of each per step); returns a's, leaves b's in secondSum.
 */
@inline function reducePair(kind: i32, a: usize, b: usize, n: i32, meanA: f64, meanB: f64): f64 {
  const ma = splat(meanA);
  const mb = splat(meanB);
  let a0 = splat(0);
  let a1 = splat(0);
  let b0 = splat(0);
  let b1 = splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = f32at(a, i);
    const q = f32at(b, i);
    a0 = f64x2.add(a0, term(kind, load2(p), ma, ma));
    a1 = f64x2.add(a1, term(kind, load2(p + 8), ma, ma));
    b0 = f64x2.add(b0, term(kind, load2(q), mb, mb));
    b1 = f64x2.add(b1, term(kind, load2(q + 8), mb, mb));
  }
  let sa = hsum(f64x2.add(a0, a1));
  let sb = hsum(f64x2.add(b0, b1));
  for (; i < n; i++) {
    sa += scalarTerm(kind, <f64>load<f32>(f32at(a, i)), 0, meanA);
    sb += scalarTerm(kind, <f64>load<f32>(f32at(b, i)), 0, meanB);
  }
  secondSum = sb;
  return sa;
}

/**
 * Two-pass mean and sum of squared deviations of two rows of n values at a
 * and b, the rows interleaved: short rows (LayerNorm's) leave too little
 * work per row to hide the latency of a row's reductions and division.
 */
export function rowPairMoments(a: usize, b: usize, n: i32): void {
  const meanA = reducePair(SUM, a, b, n, 0, 0) / <f64>n;
  const meanB = secondSum / <f64>n;
  pairSquaredDeviation0 = reducePair(SQUARED_DEVIATION, a, b, n, meanA, meanB);
  pairSquaredDeviation1 = secondSum;
  pairMean0 = meanA;
  pairMean1 = meanB;
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
