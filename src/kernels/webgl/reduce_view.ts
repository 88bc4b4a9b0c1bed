/**
 * Reductions over arbitrary axes without reshapes or transposes: the input is
 * read through the smallest equivalent view, and programs index it directly.
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

/** The coordinates that index a per-slice tensor: the kept ones, or [0] when none is kept. */
export function keptCoords(coords: string[], axes: number[]): string[] {
  const kept = coords.filter((_, i) => !axes.includes(i));
  return kept.length > 0 ? kept : ['0'];
}

/**
 * Nested GLSL loops over the reduced axes of a slice: `body` sees coordinates
 * equal to `coords` except on reduced axes, which hold the loop variables.
 */
export function sliceLoop(
    shape: number[], axes: number[], coords: string[], body: (c: string[]) => string): string {
  const c = coords.map((name, i) => (axes.includes(i) ? `j${i}` : name));
  let code = body(c);
  for (let k = axes.length - 1; k >= 0; k--) {
    const a = axes[k];
    code = `for (int j${a} = 0; j${a} < ${shape[a]}; j${a}++) {
      ${code}
    }`;
  }
  return code;
}
