// SPDX-License-Identifier: Apache-2.0
/**
 * Loops over a contiguous range [start, end) of a buffer, the inner loops of
 * the normalization kernels. They are unrolled by four: V8 does not unroll,
 * and four independent float64 accumulators (or stores) per iteration run
 * several times faster than one chain of dependent additions. Sums are still
 * float64; only their association differs from a left-to-right sum. The
 * loops repeat one another's shape on purpose: a shared loop taking a
 * callback per element would not be inlined in the hot path.
 */
import {TypedArray} from '@tensorflow/tfjs-core';

/** sum of a[i]. */
export function rangeSum(a: TypedArray, start: number, end: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < end; i++) {
    s0 += a[i];
  }
  return (s0 + s1) + (s2 + s3);
}

/** sum of (a[i] - mean)^2: the stable second pass of a variance (RMSNorm's sum of squares with mean 0). */
export function rangeSquaredDeviation(a: TypedArray, start: number, end: number, mean: number):
    number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const d0 = a[i] - mean;
    const d1 = a[i + 1] - mean;
    const d2 = a[i + 2] - mean;
    const d3 = a[i + 3] - mean;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < end; i++) {
    const d = a[i] - mean;
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

/** out[i] = (x[i] - mean) * scale + offset. */
export function rangeNormalize(
    x: TypedArray, out: Float32Array, start: number, end: number, mean: number, scale: number,
    offset: number): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    out[i] = (x[i] - mean) * scale + offset;
    out[i + 1] = (x[i + 1] - mean) * scale + offset;
    out[i + 2] = (x[i + 2] - mean) * scale + offset;
    out[i + 3] = (x[i + 3] - mean) * scale + offset;
  }
  for (; i < end; i++) {
    out[i] = (x[i] - mean) * scale + offset;
  }
}

/** out[i] = dy[i] * p + (x[i] - mean) * q + r: the shape of every dx here. */
export function rangeGradient(
    dy: TypedArray, x: TypedArray, out: Float32Array, start: number, end: number, mean: number,
    p: number, q: number, r: number): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    out[i] = dy[i] * p + (x[i] - mean) * q + r;
    out[i + 1] = dy[i + 1] * p + (x[i + 1] - mean) * q + r;
    out[i + 2] = dy[i + 2] * p + (x[i + 2] - mean) * q + r;
    out[i + 3] = dy[i + 3] * p + (x[i + 3] - mean) * q + r;
  }
  for (; i < end; i++) {
    out[i] = dy[i] * p + (x[i] - mean) * q + r;
  }
}

/**
 * [sum of dy[i], sum of dy[i] * (x[i] - mean)] into sums[0], sums[1]: the two
 * reductions of every normalization gradient, in one pass.
 */
export function rangeDySums(
    dy: TypedArray, x: TypedArray, start: number, end: number, mean: number,
    sums: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let t0 = 0;
  let t1 = 0;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const g0 = dy[i];
    const g1 = dy[i + 1];
    s0 += g0;
    s1 += g1;
    t0 += g0 * (x[i] - mean);
    t1 += g1 * (x[i + 1] - mean);
  }
  for (; i < end; i++) {
    s0 += dy[i];
    t0 += dy[i] * (x[i] - mean);
  }
  sums[0] = s0 + s1;
  sums[1] = t0 + t1;
}
