// SPDX-License-Identifier: Apache-2.0
/**
 * Reductions over arbitrary axes through the smallest equivalent view: WebGL
 * programs index it directly (no reshapes or transposes), and the fallback
 * kernels reduce at a lower rank (tfjs's wasm backend reduces rank-7 tensors
 * wrongly).
 */

/** A shape and the sorted axes of it that are reduced. */
export interface ReduceView {
  shape: number[];
  axes: number[];
}

/**
 * Merges neighbouring axes that are both reduced or both kept, and drops
 * size-1 axes: [2, 3, 4, 5] over [1, 2] becomes [2, 12, 5] over [1]. The
 * result indexes the same row-major buffer, so a free view of x has it.
 */
export function reduceView(shape: number[], axes: number[]): ReduceView {
  const outShape: number[] = [];
  const outAxes: number[] = [];
  let lastReduced: boolean|null = null;
  shape.forEach((size, i) => {
    if (size === 1) {
      return;
    }
    const reduced = axes.includes(i);
    if (reduced === lastReduced) {
      outShape[outShape.length - 1] *= size;
    } else {
      outShape.push(size);
      if (reduced) {
        outAxes.push(outShape.length - 1);
      }
      lastReduced = reduced;
    }
  });
  if (outShape.length === 0) {
    return {shape: [1], axes: []};
  }
  return {shape: outShape, axes: outAxes};
}
