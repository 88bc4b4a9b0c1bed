// SPDX-License-Identifier: Apache-2.0
// L2Normalize, out = x / sqrt(max(sum x^2, eps)), and its gradient
//   dx = dy / d - x * sum(x * dy) / d^3 (dx = dy / d where the clamp is active).
// Contiguous axes are an [outer, reduce, inner] view worked in blocks of
// slices that stay in cache; other axes come with a per-element slice map.
import {f32at, f64at, hi, lo, pack} from './vec';
import {rowDot, rowGradient, rowNormalize} from './rows';

/** Elements per block (all rows of it), so a float32 block stays well within L2. */
const BLOCK_ELEMENTS: i32 = 1 << 16;

@inline function blockWidth(reduce: i32, inner: i32): i32 {
  return max(1, min(inner, BLOCK_ELEMENTS / max(reduce, 1)));
}

// scratch: blockWidth float64 (forward), twice that (gradient).
export function l2Normalize(
    x: usize, out: usize, outer: i32, reduce: i32, inner: i32, epsilon: f64, scratch: usize): void {
  if (reduce == 0) return;
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const xs = f32at(x, o * reduce);
      const k = 1 / Math.sqrt(max(rowDot(xs, xs, reduce), epsilon));
      rowNormalize(xs, f32at(out, o * reduce), reduce, 0, k, 0);
    }
    return;
  }
  const tile = blockWidth(reduce, inner);
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += tile) {
      const width = min(tile, inner - i0);
      const start = o * reduce * inner + i0;
      memory.fill(scratch, 0, <usize>width << 3);
      for (let r = 0; r < reduce; r++) {
        const e = f32at(x, start + r * inner);
        accumulateProducts(e, e, scratch, width);
      }
      for (let i = 0; i < width; i++) {
        const p = f64at(scratch, i);
        store<f64>(p, 1 / Math.sqrt(max(load<f64>(p), epsilon)));
      }
      for (let r = 0; r < reduce; r++) {
        const e = start + r * inner;
        combineRow(f32at(out, e), f32at(x, e), scratch, 0, 0, width);
      }
    }
  }
}

export function l2NormalizeGrad(
    x: usize, dy: usize, dx: usize, outer: i32, reduce: i32, inner: i32, epsilon: f64,
    scratch: usize): void {
  if (reduce == 0) return;
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const xs = f32at(x, o * reduce);
      const ds = f32at(dy, o * reduce);
      const sumSq = rowDot(xs, xs, reduce);
      const clamped = sumSq < epsilon;
      const inv = 1 / Math.sqrt(clamped ? epsilon : sumSq);
      const proj = clamped ? 0 : rowDot(xs, ds, reduce) * inv * inv * inv;
      rowGradient(ds, xs, f32at(dx, o * reduce), reduce, 0, inv, -proj, 0);
    }
    return;
  }
  const tile = blockWidth(reduce, inner);
  const invNorm = scratch;
  const proj = f64at(scratch, tile);
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += tile) {
      const width = min(tile, inner - i0);
      const start = o * reduce * inner + i0;
      memory.fill(invNorm, 0, <usize>width << 3);
      memory.fill(proj, 0, <usize>width << 3);
      for (let r = 0; r < reduce; r++) {
        const e = start + r * inner;
        accumulateProducts(f32at(x, e), f32at(x, e), invNorm, width);
        accumulateProducts(f32at(x, e), f32at(dy, e), proj, width);
      }
      gradientFactors(invNorm, proj, width, epsilon);
      for (let r = 0; r < reduce; r++) {
        const e = start + r * inner;
        combineRow(f32at(dx, e), f32at(dy, e), invNorm, f32at(x, e), proj, width);
      }
    }
  }
}

/**
 * Turns n slices' sum(x^2) (in invNorm) and sum(x * dy) (in proj) into the
 * gradient's factors: invNorm = 1 / d, proj = sum(x * dy) / d^3 (0 where the
 * clamp is active).
 */
function gradientFactors(invNorm: usize, proj: usize, n: i32, epsilon: f64): void {
  for (let i = 0; i < n; i++) {
    const sumSq = load<f64>(f64at(invNorm, i));
    const clamped = sumSq < epsilon;
    const inv = 1 / Math.sqrt(clamped ? epsilon : sumSq);
    const p = f64at(proj, i);
    store<f64>(p, clamped ? 0 : load<f64>(p) * inv * inv * inv);
    store<f64>(f64at(invNorm, i), inv);
  }
}

/** sums[i] += a[i] * b[i], i < n. */
function accumulateProducts(a: usize, b: usize, sums: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(f32at(a, i));
    const w = v128.load(f32at(b, i));
    const p = f64at(sums, i);
    v128.store(p, f64x2.add(v128.load(p), f64x2.mul(lo(v), lo(w))));
    v128.store(p, f64x2.add(v128.load(p, 16), f64x2.mul(hi(v), hi(w))), 16);
  }
  for (; i < n; i++) {
    const p = f64at(sums, i);
    store<f64>(p, load<f64>(p) + <f64>load<f32>(f32at(a, i)) * <f64>load<f32>(f32at(b, i)));
  }
}

/** out[i] = a[i] * p[i] - b[i] * q[i], i < n; b = 0 drops the second term. */
function combineRow(out: usize, a: usize, p: usize, b: usize, q: usize, n: i32): void {
  const withB = b != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(f32at(a, i));
    const pp = f64at(p, i);
    let y0 = f64x2.mul(lo(v), v128.load(pp));
    let y1 = f64x2.mul(hi(v), v128.load(pp, 16));
    if (withB) {
      const w = v128.load(f32at(b, i));
      const qq = f64at(q, i);
      y0 = f64x2.sub(y0, f64x2.mul(lo(w), v128.load(qq)));
      y1 = f64x2.sub(y1, f64x2.mul(hi(w), v128.load(qq, 16)));
    }
    v128.store(f32at(out, i), pack(y0, y1));
  }
  for (; i < n; i++) {
    let y = <f64>load<f32>(f32at(a, i)) * load<f64>(f64at(p, i));
    if (withB) {
      y -= <f64>load<f32>(f32at(b, i)) * load<f64>(f64at(q, i));
    }
    store<f32>(f32at(out, i), <f32>y);
  }
}

// Non-contiguous axes: sliceOf[e] (int32) is element e's slice; scratch: numSlices
// float64 (forward), twice that (gradient).
export function l2NormalizeSliced(
    x: usize, out: usize, size: i32, sliceOf: usize, numSlices: i32, epsilon: f64,
    scratch: usize): void {
  memory.fill(scratch, 0, <usize>numSlices << 3);
  for (let e = 0; e < size; e++) {
    const p = f64at(scratch, load<i32>(f32at(sliceOf, e)));
    const v = <f64>load<f32>(f32at(x, e));
    store<f64>(p, load<f64>(p) + v * v);
  }
  for (let s = 0; s < numSlices; s++) {
    const p = f64at(scratch, s);
    store<f64>(p, 1 / Math.sqrt(max(load<f64>(p), epsilon)));
  }
  for (let e = 0; e < size; e++) {
    const k = load<f64>(f64at(scratch, load<i32>(f32at(sliceOf, e))));
    store<f32>(f32at(out, e), <f32>(<f64>load<f32>(f32at(x, e)) * k));
  }
}

export function l2NormalizeGradSliced(
    x: usize, dy: usize, dx: usize, size: i32, sliceOf: usize, numSlices: i32, epsilon: f64,
    scratch: usize): void {
  const invNorm = scratch;
  const proj = f64at(scratch, numSlices);
  memory.fill(scratch, 0, <usize>(2 * numSlices) << 3);
  for (let e = 0; e < size; e++) {
    const s = load<i32>(f32at(sliceOf, e));
    const v = <f64>load<f32>(f32at(x, e));
    const p = f64at(invNorm, s);
    const q = f64at(proj, s);
    store<f64>(p, load<f64>(p) + v * v);
    store<f64>(q, load<f64>(q) + v * <f64>load<f32>(f32at(dy, e)));
  }
  gradientFactors(invNorm, proj, numSlices, epsilon);
  for (let e = 0; e < size; e++) {
    const s = load<i32>(f32at(sliceOf, e));
    const y = <f64>load<f32>(f32at(dy, e)) * load<f64>(f64at(invNorm, s)) -
        <f64>load<f32>(f32at(x, e)) * load<f64>(f64at(proj, s));
    store<f32>(f32at(dx, e), <f32>y);
  }
}
