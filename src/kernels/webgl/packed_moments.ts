// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {Moments} from './moments';
import {packedSliceSum, ROW_LANE, RowSlices} from './packed_sum_gpu';
import {view} from './webgl_util';

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
  const sum = packedSliceSum(backend, {
    slices,
    full: ['x'],
    smalls: ['xShift'],
    slicePrelude: 'float shift = rowLane(getXShift(s, 0), s);',
    term: 'x4 - shift',
  }, [xView, col(shift)]);
  const sqDev = packedSliceSum(backend, {
    slices,
    full: ['x'],
    smalls: ['xShift', 'xSum'],
    slicePrelude: `float shift = rowLane(getXShift(s, 0), s);
        float mean = rowLane(getXSum(s, 0), s) / float(${n});`,
    term: '((x4 - shift) - mean) * ((x4 - shift) - mean)',
  }, [xView, col(shift), col(sum)]);
  return {shift, sum, sqDev, count: n};
}
