// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {sumWindows, windowSize} from './slice_sum';
import {view} from './webgl_util';

/*
 * Sums over packed textures (2x2 values a texel: rows r, r + 1 by columns
 * c, c + 1 of a [rows, cols] view): tfjs keeps most textures packed, and a
 * texel gives four values for one fetch, with no unpack pass first.
 */

/** Slices of consecutive rows of a [rows, cols] view, read packed. */
export interface RowSlices {
  rows: number;
  cols: number;
  /** Rows per slice (slice s is rows s * rowsPerSlice ..). */
  rowsPerSlice: number;
}

/** `getX` for input `x`: tfjs's sampler names. */
export function getterOf(name: string): string {
  return `get${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** GLSL: the half of a packed texel that holds row `row` of a [n, cols] view (lanes xy or zw). */
export const HALF_OF = `
  vec2 halfOf(vec4 texel, int row) {
    return imod(row, 2) == 0 ? texel.xy : texel.zw;
  }
`;

/**
 * GLSL declaring `<name>4` for rows `row` and row + 1 at column `col` of an
 * input repeating every `periodRows` rows (a packed [periodRows, cols] view):
 * the half of each row's own texel, as the two rows need not be neighbours there.
 */
export function periodicFetch(name: string, periodRows: number, row: string, col: string): string {
  const get = getterOf(name);
  const at = (r: string) => `halfOf(${get}(imod(${r}, ${periodRows}), ${col}), imod(${r}, ${periodRows}))`;
  return `vec4 ${name}4 = vec4(${at(row)}, ${at(`${row} + 1`)});`;
}

/** GLSL: the value of row `row` in a packed texel of a [n, 1] view (lanes x and z). */
export const ROW_LANE = `
  float rowLane(vec4 texel, int row) {
    return imod(row, 2) == 0 ? texel.x : texel.z;
  }
`;

/** What a {@link PackedSliceSumProgram} sums. */
export interface PackedSliceSumSpec {
  slices: RowSlices;
  /** Full-size inputs, [rows, cols] views; `<name>4` in the term is the loop's texel of each. */
  full: string[];
  /** Inputs repeating down the rows every `periodRows` rows (see PackedRowsProgram). */
  periodic?: {names: string[], periodRows: number};
  /** Per-slice inputs, [slices, 1] views, read with rowLane(get<Name>(s, 0), s). */
  smalls?: string[];
  /** GLSL run once per slice (`int s`). */
  slicePrelude?: string;
  /** GLSL vec4 expression summed over the slice's values. */
  term: string;
}

/**
 * Window sums of a vec4 term over the slices: output [slices, windows],
 * window w of slice s summing `windowRows` rows. A texel holds two rows:
 * both belong to the slice when slices and windows have even row counts,
 * else the program takes the row's half.
 */
class PackedSliceSumProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs = true;

  constructor(spec: PackedSliceSumSpec) {
    const {cols, rowsPerSlice} = spec.slices;
    const count = spec.slices.rows / rowsPerSlice;
    const step = rowsPerSlice % 2 === 0 ? 2 : 1;
    const windowRows = step * Math.ceil(windowSize(count, rowsPerSlice) / step);
    const periodic = spec.periodic?.names ?? [];
    this.variableNames = [...spec.full, ...periodic, ...(spec.smalls ?? [])];
    this.outputShape = [count, Math.ceil(rowsPerSlice / windowRows)];
    const lastCol = cols % 2 === 1 ? `c + 1 < ${cols}` : 'true';
    const add = step === 2 ?
        `sum += t.x + t.z; if (${lastCol}) { sum += t.y + t.w; }` :
        `vec2 h = imod(r, 2) == 0 ? t.xy : t.zw; sum += h.x; if (${lastCol}) { sum += h.y; }`;
    const guard = rowsPerSlice % windowRows === 0 ? '' : `if (j >= ${rowsPerSlice}) { break; }`;
    const fetches = [
      ...spec.full.map(n => `vec4 ${n}4 = ${getterOf(n)}(r, c);`),
      // The texel's rows start at the even row at or before r.
      ...periodic.map(n => periodicFetch(n, spec.periodic!.periodRows, '(r - imod(r, 2))', 'c')),
    ];
    this.userCode = `
      ${ROW_LANE}
      ${HALF_OF}
      void main() {
        ivec2 sw = getOutputCoords();
        int s = sw.x;
        ${spec.slicePrelude ?? ''}
        int first = sw.y * ${windowRows};
        float sum = 0.0;
        for (int k = 0; k < ${windowRows}; k += ${step}) {
          int j = first + k;
          ${guard}
          int r = s * ${rowsPerSlice} + j;
          for (int c = 0; c < ${cols}; c += 2) {
            ${fetches.join('\n')}
            vec4 t = ${spec.term};
            ${add}
          }
        }
        setOutput(sum);
      }
    `;
  }
}

/** Sums of spec.term per slice, [slices]; `inputs` in the order full, periodic, smalls. */
export function packedSliceSum(
    backend: MathBackendWebGL, spec: PackedSliceSumSpec, inputs: TensorInfo[]): TensorInfo {
  const count = spec.slices.rows / spec.slices.rowsPerSlice;
  const program = new PackedSliceSumProgram(spec);
  return view(sumWindows(backend, backend.runWebGLProgram(program, inputs, 'float32'), count), [count]);
}


/**
 * Column sums of a vec4 term of `full` inputs ([rows, cols] views) per
 * parameter of a [periodRows, cols] block repeating down the rows (LayerNorm's
 * dgamma / dbeta): output [periodRows * cols, windows]. Each fetch serves the
 * fragment's column (two rows of it when periodRows is 1).
 */
class PackedColumnSumProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs = true;

  constructor(rows: number, cols: number, periodRows: number, full: string[], term: string) {
    const params = periodRows * cols;
    const perParam = rows / periodRows;
    const step = periodRows === 1 ? 2 : 1;
    const window = step * Math.ceil(windowSize(params, perParam) / step);
    this.variableNames = full;
    this.outputShape = [params, Math.ceil(perParam / window)];
    const fetches = full.map(n => `vec4 ${n}4 = ${getterOf(n)}(r, col);`);
    const lastRow = rows % 2 === 1 ? `r + 1 < ${rows}` : 'true';
    const add = step === 2 ?
        `vec2 h = right ? t.yw : t.xz; sum += h.x; if (${lastRow}) { sum += h.y; }` :
        `vec2 h = halfOf(t, r); sum += right ? h.y : h.x;`;
    const guard = perParam % window === 0 ? '' : `if (j >= ${perParam}) { break; }`;
    this.userCode = `
      ${HALF_OF}
      void main() {
        ivec2 pw = getOutputCoords();
        int pr = pw.x / ${cols};
        int c = pw.x - pr * ${cols};
        bool right = imod(c, 2) == 1;
        int col = right ? c - 1 : c;
        float sum = 0.0;
        for (int k = 0; k < ${window}; k += ${step}) {
          int j = pw.y * ${window} + k;
          ${guard}
          int r = pr + j * ${periodRows};
          ${fetches.join('\n')}
          vec4 t = ${term};
          ${add}
        }
        setOutput(sum);
      }
    `;
  }
}

/** Sums of a vec4 term per parameter (see PackedColumnSumProgram), [periodRows * cols]. */
export function packedColumnSum(
    backend: MathBackendWebGL, rows: number, cols: number, periodRows: number,
    inputs: Array<[string, TensorInfo]>, term: string): TensorInfo {
  const program =
      new PackedColumnSumProgram(rows, cols, periodRows, inputs.map(([n]) => n), term);
  const sums = backend.runWebGLProgram(program, inputs.map(([, t]) => t), 'float32');
  return view(sumWindows(backend, sums, periodRows * cols), [periodRows * cols]);
}
