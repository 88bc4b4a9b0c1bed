// SPDX-License-Identifier: Apache-2.0
/**
 * How a reduction over a set of axes walks a row-major buffer. A contiguous
 * set of axes collapses to [outer, reduce, inner]; any other set gets an
 * explicit map from each element to the slot of its reduced slice.
 */
import {BLOCK_ELEMENTS} from './cpu_util';

export interface ReducePlan {
  outer: number;
  reduce: number;
  inner: number;
  /** Number of independent slices (product of the kept dims). */
  numSlices: number;
  /** Per element, its slice index; only for non-contiguous axes. */
  sliceOf?: Int32Array;
}

/** `axes` must be sorted, unique and in [0, shape.length). */
export function reducePlan(shape: number[], axes: number[]): ReducePlan {
  const rank = shape.length;
  let reduce = 1;
  for (const a of axes) {
    reduce *= shape[a];
  }
  let size = 1;
  for (const d of shape) {
    size *= d;
  }
  const numSlices = reduce === 0 ? size : size / reduce;
  const contiguous = axes.length === 0 || axes[axes.length - 1] - axes[0] === axes.length - 1;
  if (contiguous) {
    const first = axes.length === 0 ? rank : axes[0];
    const last = axes.length === 0 ? rank : axes[axes.length - 1] + 1;
    let outer = 1;
    let inner = 1;
    for (let i = 0; i < first; i++) {
      outer *= shape[i];
    }
    for (let i = last; i < rank; i++) {
      inner *= shape[i];
    }
    return {outer, reduce, inner, numSlices};
  }
  // Odometer over the shape: the slice index advances by a per-dim stride
  // that is zero along reduced axes.
  const reduced = shape.map((_, i) => axes.includes(i));
  const sliceStride = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = rank - 1; i >= 0; i--) {
    if (!reduced[i]) {
      sliceStride[i] = stride;
      stride *= shape[i];
    }
  }
  const sliceOf = new Int32Array(size);
  const coord = new Array<number>(rank).fill(0);
  let slice = 0;
  for (let e = 0; e < size; e++) {
    sliceOf[e] = slice;
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < shape[d]) {
        slice += sliceStride[d];
        break;
      }
      slice -= sliceStride[d] * (shape[d] - 1);
      coord[d] = 0;
    }
  }
  return {outer: 1, reduce, inner: 1, numSlices, sliceOf};
}

/**
 * Slices of a contiguous plan in cache-sized blocks: the block of slices
 * (o, [i0, i0 + width)) covers `reduce` rows of `width` elements at
 * rowStart(r) = (o * reduce + r) * inner + i0, and its slot for slice i0 + i
 * is slot0 + i. A kernel sums over a block's rows, then writes them while
 * they are still in cache, so x is read from memory once.
 */
export interface SliceBlock {
  /** Offset of row 0 of the block; row r starts at start + r * inner. */
  start: number;
  width: number;
  /** Index of the block's first slice. */
  slot0: number;
}


/** Calls visit(block) for every block of a contiguous plan (no sliceOf). */
export function forEachSliceBlock(plan: ReducePlan, visit: (block: SliceBlock) => void): void {
  const {outer, reduce, inner} = plan;
  const tile = Math.max(1, Math.min(inner, Math.floor(BLOCK_ELEMENTS / Math.max(reduce, 1))));
  const block: SliceBlock = {start: 0, width: 0, slot0: 0};
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += tile) {
      block.start = o * reduce * inner + i0;
      block.width = Math.min(tile, inner - i0);
      block.slot0 = o * inner + i0;
      visit(block);
    }
  }
}

/**
 * sums[slot0 + i] += a[e] * b[e] over the block's rows (contiguous plans).
 * Unrolled by hand like blockCombine (see row_math.ts for why the shapes repeat).
 * Four rows per sweep of the slots: one load and store of a slot per four
 * products (and four accumulators when the block is a single slice).
 */
export function blockDot(
    plan: ReducePlan, block: SliceBlock, a: ArrayLike<number>, b: ArrayLike<number>,
    sums: Float64Array): void {
  const {reduce, inner} = plan;
  const {start, width, slot0} = block;
  if (width === 1) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let r = 0;
    let e = start;
    for (; r + 4 <= reduce; r += 4, e += 4 * inner) {
      s0 += a[e] * b[e];
      s1 += a[e + inner] * b[e + inner];
      s2 += a[e + 2 * inner] * b[e + 2 * inner];
      s3 += a[e + 3 * inner] * b[e + 3 * inner];
    }
    for (; r < reduce; r++, e += inner) {
      s0 += a[e] * b[e];
    }
    sums[slot0] += (s0 + s1) + (s2 + s3);
    return;
  }
  let r = 0;
  for (; r + 4 <= reduce; r += 4) {
    const e0 = start + r * inner;
    const e1 = e0 + inner;
    const e2 = e1 + inner;
    const e3 = e2 + inner;
    for (let i = 0; i < width; i++) {
      sums[slot0 + i] += (a[e0 + i] * b[e0 + i] + a[e1 + i] * b[e1 + i]) +
          (a[e2 + i] * b[e2 + i] + a[e3 + i] * b[e3 + i]);
    }
  }
  for (; r < reduce; r++) {
    const e = start + r * inner;
    for (let i = 0; i < width; i++) {
      sums[slot0 + i] += a[e + i] * b[e + i];
    }
  }
}

/**
 * out[e] = a[e] * p[slot] - b[e] * q[slot] over the block's rows; b/q may be
 * omitted. Four rows per sweep, sharing the loads of p and q.
 */
export function blockCombine(
    plan: ReducePlan, block: SliceBlock, out: Float32Array, a: ArrayLike<number>,
    p: Float64Array, b?: ArrayLike<number>, q?: Float64Array): void {
  const {reduce, inner} = plan;
  const {start, width, slot0} = block;
  if (inner === 1) {  // one slice, contiguous: a plain unrolled row
    rowCombine(out, a, start, start + reduce, p[slot0], b, q == null ? 0 : q[slot0]);
    return;
  }
  let r = 0;
  for (; r + 4 <= reduce; r += 4) {
    const e0 = start + r * inner;
    const e1 = e0 + inner;
    const e2 = e1 + inner;
    const e3 = e2 + inner;
    if (b == null) {
      for (let i = 0; i < width; i++) {
        const k = p[slot0 + i];
        out[e0 + i] = a[e0 + i] * k;
        out[e1 + i] = a[e1 + i] * k;
        out[e2 + i] = a[e2 + i] * k;
        out[e3 + i] = a[e3 + i] * k;
      }
    } else {
      for (let i = 0; i < width; i++) {
        const k = p[slot0 + i];
        const m = q![slot0 + i];
        out[e0 + i] = a[e0 + i] * k - b[e0 + i] * m;
        out[e1 + i] = a[e1 + i] * k - b[e1 + i] * m;
        out[e2 + i] = a[e2 + i] * k - b[e2 + i] * m;
        out[e3 + i] = a[e3 + i] * k - b[e3 + i] * m;
      }
    }
  }
  for (; r < reduce; r++) {
    const e = start + r * inner;
    if (b == null) {
      for (let i = 0; i < width; i++) {
        out[e + i] = a[e + i] * p[slot0 + i];
      }
    } else {
      for (let i = 0; i < width; i++) {
        out[e + i] = a[e + i] * p[slot0 + i] - b[e + i] * q![slot0 + i];
      }
    }
  }
}

/** out[e] = a[e] * k - b[e] * m for e in [start, end); b may be omitted. */
function rowCombine(
    out: Float32Array, a: ArrayLike<number>, start: number, end: number, k: number,
    b: ArrayLike<number>|undefined, m: number): void {
  let e = start;
  if (b == null) {
    for (; e + 4 <= end; e += 4) {
      out[e] = a[e] * k;
      out[e + 1] = a[e + 1] * k;
      out[e + 2] = a[e + 2] * k;
      out[e + 3] = a[e + 3] * k;
    }
    for (; e < end; e++) {
      out[e] = a[e] * k;
    }
    return;
  }
  for (; e + 4 <= end; e += 4) {
    out[e] = a[e] * k - b[e] * m;
    out[e + 1] = a[e + 1] * k - b[e + 1] * m;
    out[e + 2] = a[e + 2] * k - b[e + 2] * m;
    out[e + 3] = a[e + 3] * k - b[e + 3] * m;
  }
  for (; e < end; e++) {
    out[e] = a[e] * k - b[e] * m;
  }
}

/** sums[slice] += a[e] * b[e] for every element e (non-contiguous plans: sliceOf). */
export function sliceDot(
    plan: ReducePlan, a: ArrayLike<number>, b: ArrayLike<number>, sums: Float64Array): void {
  const sliceOf = plan.sliceOf!;
  for (let e = 0; e < sliceOf.length; e++) {
    sums[sliceOf[e]] += a[e] * b[e];
  }
}

/** out[e] = a[e] * p[slice] - b[e] * q[slice]; b/q may be omitted (sliceOf plans). */
export function combineBySlice(
    plan: ReducePlan, out: Float32Array, a: ArrayLike<number>, p: Float64Array,
    b?: ArrayLike<number>, q?: Float64Array): void {
  const sliceOf = plan.sliceOf!;
  for (let e = 0; e < sliceOf.length; e++) {
    const s = sliceOf[e];
    out[e] = b == null ? a[e] * p[s] : a[e] * p[s] - b[e] * q![s];
  }
}
