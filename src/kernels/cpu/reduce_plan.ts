/**
 * How a reduction over a set of axes walks a row-major buffer. A contiguous
 * set of axes collapses to [outer, reduce, inner]; any other set gets an
 * explicit map from each element to the slot of its reduced slice.
 */
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

/** sums[slice] += a[e] * b[e] for every element e. */
export function sliceDot(
    plan: ReducePlan, a: ArrayLike<number>, b: ArrayLike<number>, sums: Float64Array): void {
  const {outer, reduce, inner, sliceOf} = plan;
  if (sliceOf != null) {
    for (let e = 0; e < sliceOf.length; e++) {
      sums[sliceOf[e]] += a[e] * b[e];
    }
    return;
  }
  let e = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * inner;
    for (let r = 0; r < reduce; r++) {
      for (let i = 0; i < inner; i++, e++) {
        sums[base + i] += a[e] * b[e];
      }
    }
  }
}

/** out[e] = a[e] * p[slice] - b[e] * q[slice]; b/q may be omitted. */
export function combineBySlice(
    plan: ReducePlan, out: Float32Array, a: ArrayLike<number>, p: Float64Array,
    b?: ArrayLike<number>, q?: Float64Array): void {
  const {outer, reduce, inner, sliceOf} = plan;
  if (sliceOf != null) {
    for (let e = 0; e < sliceOf.length; e++) {
      const s = sliceOf[e];
      out[e] = b == null ? a[e] * p[s] : a[e] * p[s] - b[e] * q![s];
    }
    return;
  }
  let e = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * inner;
    for (let r = 0; r < reduce; r++) {
      if (b == null) {
        for (let i = 0; i < inner; i++, e++) {
          out[e] = a[e] * p[base + i];
        }
      } else {
        for (let i = 0; i < inner; i++, e++) {
          out[e] = a[e] * p[base + i] - b[e] * q![base + i];
        }
      }
    }
  }
}
