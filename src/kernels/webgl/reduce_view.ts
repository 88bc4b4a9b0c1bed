// SPDX-License-Identifier: Apache-2.0
/**
 * GLSL for reductions over a ReduceView (src/util/reduce_view.ts): programs
 * index the view directly, without reshapes or transposes.
 */

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
