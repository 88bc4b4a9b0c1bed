// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {Moments} from './moments';
import {sumWindows, windowSize} from './slice_sum';
import {view} from './webgl_util';

/** Slices of consecutive rows of a [rows, cols] view, read packed. */
export interface RowSlices {
  rows: number;
  cols: number;
  /** Rows per slice (slice s is rows s * rowsPerSlice ..). */
  rowsPerSlice: number;
}

/** GLSL: the value of row `row` in a packed texel of a [n, 1] view (lanes x and z). */
const ROW_LANE = `
  float rowLane(vec4 texel, int row) {
    return imod(row, 2) == 0 ? texel.x : texel.z;
  }
`;

/** The first element of each slice, [slices]: the shift of packedMoments. */
class PackedSliceFirstProgram implements GPGPUProgram {
  variableNames = ['x'];
  outputShape: number[];
  userCode: string;
  packedInputs = true;

  constructor(slices: RowSlices) {
    this.outputShape = [slices.rows / slices.rowsPerSlice];
    this.userCode = `
      ${ROW_LANE}
      void main() {
        int row = getOutputCoords() * ${slices.rowsPerSlice};
        setOutput(rowLane(getX(row, 0), row));
      }
    `;
  }
}

/**
 * Window sums of a vec4 GLSL term of `x4` (a packed texel of x) over the
 * slices: output [slices, windows], window w of slice s summing `windowRows`
 * rows. A texel holds two rows: both belong to the slice when slices and
 * windows have even row counts, else the program takes the row's half.
 * `smalls` are [slices, 1] views (read packed too, with rowLane(texel, s)).
 */
class PackedSliceSumProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs = true;

  constructor(slices: RowSlices, smalls: string[], slicePrelude: string, term: string) {
    const {cols, rowsPerSlice} = slices;
    const count = slices.rows / rowsPerSlice;
    const step = rowsPerSlice % 2 === 0 ? 2 : 1;
    const windowRows = step * Math.ceil(windowSize(count, rowsPerSlice) / step);
    this.variableNames = ['x', ...smalls];
    this.outputShape = [count, Math.ceil(rowsPerSlice / windowRows)];
    const lastCol = cols % 2 === 1 ? `c + 1 < ${cols}` : 'true';
    const add = step === 2 ?
        `sum += t.x + t.z; if (${lastCol}) { sum += t.y + t.w; }` :
        `vec2 h = imod(r, 2) == 0 ? t.xy : t.zw; sum += h.x; if (${lastCol}) { sum += h.y; }`;
    const guard = rowsPerSlice % windowRows === 0 ? '' : `if (j >= ${rowsPerSlice}) { break; }`;
    this.userCode = `
      ${ROW_LANE}
      void main() {
        ivec2 sw = getOutputCoords();
        int s = sw.x;
        ${slicePrelude}
        int first = sw.y * ${windowRows};
        float sum = 0.0;
        for (int k = 0; k < ${windowRows}; k += ${step}) {
          int j = first + k;
          ${guard}
          int r = s * ${rowsPerSlice} + j;
          for (int c = 0; c < ${cols}; c += 2) {
            vec4 x4 = getX(r, c);
            vec4 t = ${term};
            ${add}
          }
        }
        setOutput(sum);
      }
    `;
  }
}

function sliceSums(
    backend: MathBackendWebGL, slices: RowSlices, inputs: TensorInfo[], smalls: string[],
    slicePrelude: string, term: string): TensorInfo {
  const count = slices.rows / slices.rowsPerSlice;
  const program = new PackedSliceSumProgram(slices, smalls, slicePrelude, term);
  return view(sumWindows(backend, backend.runWebGLProgram(program, inputs, 'float32'), count), [count]);
}

/**
 * The Moments of moments.ts (same sums around the same shift, [slices]
 * each) of slices of rows of x's [rows, cols] view, read packed: tfjs keeps
 * most textures packed, and a packed texel gives four values for one fetch,
 * with no unpack pass first. Passes: 3, plus window stages for long slices.
 */
export function packedMoments(backend: MathBackendWebGL, x: TensorInfo, slices: RowSlices):
    Moments {
  const count = slices.rows / slices.rowsPerSlice;
  const xView = view(x, [slices.rows, slices.cols]);
  const shift = backend.runWebGLProgram(new PackedSliceFirstProgram(slices), [xView], 'float32');
  const col = (t: TensorInfo) => view(t, [count, 1]);
  const n = slices.rowsPerSlice * slices.cols;
  const sum = sliceSums(
      backend, slices, [xView, col(shift)], ['xShift'], 'float shift = rowLane(getXShift(s, 0), s);',
      'x4 - shift');
  const sqDev = sliceSums(
      backend, slices, [xView, col(shift), col(sum)], ['xShift', 'xSum'],
      `float shift = rowLane(getXShift(s, 0), s);
        float mean = rowLane(getXSum(s, 0), s) / float(${n});`,
      '((x4 - shift) - mean) * ((x4 - shift) - mean)');
  return {shift, sum, sqDev, count: n};
}
