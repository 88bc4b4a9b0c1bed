// SPDX-License-Identifier: Apache-2.0
// Per-channel loops of the batch-norm kernels on [outer, channels, inner]
// views. Channels-first data (inner > 1) is rows of `inner` values (rows.ts);
// channels-last data (inner 1) runs across the channels of each row, two
// channels per f64x2, with the per-channel float64 slots in cache.
// Per-channel arrays (mean, scale, sums, ...) are float64.
import {f32at, f64at, load2, store2} from './vec';
import {rowDySums, rowGradient, rowNormalize, rowSquaredDeviation, rowSum, secondSum} from './rows';

/**
 * Two-pass per-channel mean and biased variance (never E[x^2] - E[x]^2);
 * count = outer * inner must be > 0.
 */
export function channelMoments(
    x: usize, outer: i32, channels: i32, inner: i32, mean: usize, variance: usize): void {
  const count = <f64>outer * <f64>inner;
  memory.fill(mean, 0, <usize>channels << 3);
  memory.fill(variance, 0, <usize>channels << 3);
  channelSums(x, outer, channels, inner, mean);
  scaleSlots(mean, channels, 1 / count);
  channelSquaredDeviations(x, outer, channels, inner, mean, variance);
  scaleSlots(variance, channels, 1 / count);
}

// What a per-channel pass accumulates into its float64 slots acc (and acc2).
const SUMS: i32 = 0;               // acc += x
const SQUARED_DEVIATIONS: i32 = 1; // acc += (x - mean)^2
const DY_SUMS: i32 = 2;            // acc += dy, acc2 += dy * (x - mean)

/** The per-channel accumulation `kind` over [outer, channels, inner] (the caller zeroes the slots). */
@inline function accumulate(
    kind: i32, x: usize, dy: usize, outer: i32, channels: i32, inner: i32, mean: usize, acc: usize,
    acc2: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        const p = f64at(acc, c);
        const m = kind == SUMS ? 0 : load<f64>(f64at(mean, c));
        let s: f64;
        if (kind == SUMS) {
          s = rowSum(f32at(x, e), inner);
        } else if (kind == SQUARED_DEVIATIONS) {
          s = rowSquaredDeviation(f32at(x, e), inner, m);
        } else {
          s = rowDySums(f32at(dy, e), f32at(x, e), inner, m);
          const q = f64at(acc2, c);
          store<f64>(q, load<f64>(q) + secondSum);
        }
        store<f64>(p, load<f64>(p) + s);
      }
    }
    return;
  }
  // Channels last: two channels per f64x2 across each row, the slots in cache.
  for (let o = 0; o < outer; o++) {
    const row = o * channels;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const v = load2(f32at(x, row + c));
      const p = f64at(acc, c);
      if (kind == SUMS) {
        v128.store(p, f64x2.add(v128.load(p), v));
        continue;
      }
      const d = f64x2.sub(v, v128.load(f64at(mean, c)));
      if (kind == SQUARED_DEVIATIONS) {
        v128.store(p, f64x2.add(v128.load(p), f64x2.mul(d, d)));
        continue;
      }
      const g = load2(f32at(dy, row + c));
      const q = f64at(acc2, c);
      v128.store(p, f64x2.add(v128.load(p), g));
      v128.store(q, f64x2.add(v128.load(q), f64x2.mul(g, d)));
    }
    for (; c < channels; c++) {
      const v = <f64>load<f32>(f32at(x, row + c));
      const p = f64at(acc, c);
      const d = kind == SUMS ? 0 : v - load<f64>(f64at(mean, c));
      if (kind == SUMS) {
        store<f64>(p, load<f64>(p) + v);
      } else if (kind == SQUARED_DEVIATIONS) {
        store<f64>(p, load<f64>(p) + d * d);
      } else {
        const g = <f64>load<f32>(f32at(dy, row + c));
        const q = f64at(acc2, c);
        store<f64>(p, load<f64>(p) + g);
        store<f64>(q, load<f64>(q) + g * d);
      }
    }
  }
}

/** sums[c] += x over channel c: the first pass, over all rows or a chunk of them. */
export function channelSums(x: usize, outer: i32, channels: i32, inner: i32, sums: usize): void {
  accumulate(SUMS, x, 0, outer, channels, inner, 0, sums, 0);
}

/** sums[c] += (x - mean[c])^2 over channel c: the second pass. */
export function channelSquaredDeviations(
    x: usize, outer: i32, channels: i32, inner: i32, mean: usize, sums: usize): void {
  accumulate(SQUARED_DEVIATIONS, x, 0, outer, channels, inner, mean, sums, 0);
}

/** sumDy[c] += dy, sumDyXc[c] += dy * (x - mean[c]) over channel c (the caller zeroes them). */
export function channelDySums(
    x: usize, dy: usize, outer: i32, channels: i32, inner: i32, mean: usize, sumDy: usize,
    sumDyXc: usize): void {
  accumulate(DY_SUMS, x, dy, outer, channels, inner, mean, sumDy, sumDyXc);
}

function scaleSlots(slots: usize, n: i32, k: f64): void {
  for (let c = 0; c < n; c++) {
    const p = f64at(slots, c);
    store<f64>(p, load<f64>(p) * k);
  }
}

/**
 * out = dy * p[c] + (x - mean[c]) * q[c] + r[c] over [outer, channels, inner];
 * without dy, out = (x - mean[c]) * q[c] + r[c].
 */
@inline function combine(
    withDy: bool, dy: usize, x: usize, out: usize, outer: i32, channels: i32, inner: i32,
    mean: usize, p: usize, q: usize, r: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        const m = load<f64>(f64at(mean, c));
        if (withDy) {
          rowGradient(f32at(dy, e), f32at(x, e), f32at(out, e), inner, m, load<f64>(f64at(p, c)),
                      load<f64>(f64at(q, c)), load<f64>(f64at(r, c)));
        } else {
          rowNormalize(f32at(x, e), f32at(out, e), inner, m, load<f64>(f64at(q, c)),
                       load<f64>(f64at(r, c)));
        }
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const row = o * channels;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const d = f64x2.mul(f64x2.sub(load2(f32at(x, row + c)), v128.load(f64at(mean, c))),
                          v128.load(f64at(q, c)));
      const t = withDy ? f64x2.add(f64x2.mul(load2(f32at(dy, row + c)), v128.load(f64at(p, c))), d) : d;
      store2(f32at(out, row + c), f64x2.add(t, v128.load(f64at(r, c))));
    }
    for (; c < channels; c++) {
      const d = (<f64>load<f32>(f32at(x, row + c)) - load<f64>(f64at(mean, c))) * load<f64>(f64at(q, c));
      const t = withDy ? <f64>load<f32>(f32at(dy, row + c)) * load<f64>(f64at(p, c)) + d : d;
      store<f32>(f32at(out, row + c), <f32>(t + load<f64>(f64at(r, c))));
    }
  }
}

/** out = (x - shift[c]) * scale[c] + offset[c]; offset is float64 too. */
export function channelAffine(
    x: usize, out: usize, outer: i32, channels: i32, inner: i32, shift: usize, scale: usize,
    offset: usize): void {
  combine(false, 0, x, out, outer, channels, inner, shift, 0, scale, offset);
}

/** dx = dy * p[c] + (x - mean[c]) * q[c] + r[c]. */
export function channelGradient(
    dy: usize, x: usize, dx: usize, outer: i32, channels: i32, inner: i32, mean: usize, p: usize,
    q: usize, r: usize): void {
  combine(true, dy, x, dx, outer, channels, inner, mean, p, q, r);
}
