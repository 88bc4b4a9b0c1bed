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

/** sums[c] += x over channel c: the first pass, over all rows or a chunk of them. */
export function channelSums(x: usize, outer: i32, channels: i32, inner: i32, sums: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        const p = f64at(sums, c);
        store<f64>(p, load<f64>(p) + rowSum(f32at(x, e), inner));
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const row = f32at(x, o * channels);
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const p = f64at(sums, c);
      v128.store(p, f64x2.add(v128.load(p), load2(f32at(row, c))));
    }
    for (; c < channels; c++) {
      const p = f64at(sums, c);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(f32at(row, c)));
    }
  }
}

/** sums[c] += (x - mean[c])^2 over channel c: the second pass. */
export function channelSquaredDeviations(
    x: usize, outer: i32, channels: i32, inner: i32, mean: usize, sums: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        const p = f64at(sums, c);
        store<f64>(p, load<f64>(p) + rowSquaredDeviation(f32at(x, e), inner, load<f64>(f64at(mean, c))));
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const row = f32at(x, o * channels);
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const p = f64at(sums, c);
      const d = f64x2.sub(load2(f32at(row, c)), v128.load(f64at(mean, c)));
      v128.store(p, f64x2.add(v128.load(p), f64x2.mul(d, d)));
    }
    for (; c < channels; c++) {
      const p = f64at(sums, c);
      const d = <f64>load<f32>(f32at(row, c)) - load<f64>(f64at(mean, c));
      store<f64>(p, load<f64>(p) + d * d);
    }
  }
}

function scaleSlots(slots: usize, n: i32, k: f64): void {
  for (let c = 0; c < n; c++) {
    const p = f64at(slots, c);
    store<f64>(p, load<f64>(p) * k);
  }
}

/** out = (x - shift[c]) * scale[c] + offset[c]; offset is float64 too. */
export function channelAffine(
    x: usize, out: usize, outer: i32, channels: i32, inner: i32, shift: usize, scale: usize,
    offset: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        rowNormalize(f32at(x, e), f32at(out, e), inner, load<f64>(f64at(shift, c)),
                     load<f64>(f64at(scale, c)), load<f64>(f64at(offset, c)));
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const row = o * channels;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const v = load2(f32at(x, row + c));
      const y = f64x2.add(f64x2.mul(f64x2.sub(v, v128.load(f64at(shift, c))), v128.load(f64at(scale, c))),
                          v128.load(f64at(offset, c)));
      store2(f32at(out, row + c), y);
    }
    for (; c < channels; c++) {
      const v = <f64>load<f32>(f32at(x, row + c));
      store<f32>(f32at(out, row + c), <f32>((v - load<f64>(f64at(shift, c))) * load<f64>(f64at(scale, c)) +
                                            load<f64>(f64at(offset, c))));
    }
  }
}

/** sumDy[c] += dy, sumDyXc[c] += dy * (x - mean[c]) over channel c (the caller zeroes them). */
export function channelDySums(
    x: usize, dy: usize, outer: i32, channels: i32, inner: i32, mean: usize, sumDy: usize,
    sumDyXc: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        const s = rowDySums(f32at(dy, e), f32at(x, e), inner, load<f64>(f64at(mean, c)));
        const p = f64at(sumDy, c);
        const q = f64at(sumDyXc, c);
        store<f64>(p, load<f64>(p) + s);
        store<f64>(q, load<f64>(q) + secondSum);
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const row = o * channels;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const g = load2(f32at(dy, row + c));
      const d = f64x2.sub(load2(f32at(x, row + c)), v128.load(f64at(mean, c)));
      const p = f64at(sumDy, c);
      const q = f64at(sumDyXc, c);
      v128.store(p, f64x2.add(v128.load(p), g));
      v128.store(q, f64x2.add(v128.load(q), f64x2.mul(g, d)));
    }
    for (; c < channels; c++) {
      const g = <f64>load<f32>(f32at(dy, row + c));
      const d = <f64>load<f32>(f32at(x, row + c)) - load<f64>(f64at(mean, c));
      const p = f64at(sumDy, c);
      const q = f64at(sumDyXc, c);
      store<f64>(p, load<f64>(p) + g);
      store<f64>(q, load<f64>(q) + g * d);
    }
  }
}

/** dx = dy * p[c] + (x - mean[c]) * q[c] + r[c]. */
export function channelGradient(
    dy: usize, x: usize, dx: usize, outer: i32, channels: i32, inner: i32, mean: usize, p: usize,
    q: usize, r: usize): void {
  if (inner != 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e += inner) {
        rowGradient(f32at(dy, e), f32at(x, e), f32at(dx, e), inner, load<f64>(f64at(mean, c)),
                    load<f64>(f64at(p, c)), load<f64>(f64at(q, c)), load<f64>(f64at(r, c)));
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const row = o * channels;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const g = load2(f32at(dy, row + c));
      const d = f64x2.sub(load2(f32at(x, row + c)), v128.load(f64at(mean, c)));
      const y = f64x2.add(f64x2.add(f64x2.mul(g, v128.load(f64at(p, c))), f64x2.mul(d, v128.load(f64at(q, c)))),
                          v128.load(f64at(r, c)));
      store2(f32at(dx, row + c), y);
    }
    for (; c < channels; c++) {
      const g = <f64>load<f32>(f32at(dy, row + c));
      const d = <f64>load<f32>(f32at(x, row + c)) - load<f64>(f64at(mean, c));
      store<f32>(f32at(dx, row + c), <f32>(g * load<f64>(f64at(p, c)) + d * load<f64>(f64at(q, c)) +
                                          load<f64>(f64at(r, c))));
    }
  }
}
