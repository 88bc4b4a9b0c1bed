// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';
import {PackedRowsProgram, RowValuesProgram} from './packed_rows_gpu';

/**
 * Per row of LayerNorm's [outer, blockSize] view: shift, mean - shift and
 * invStd from its Moments (the fourth lane unused).
 */
export function layerNormRowValues(outer: number, blockSize: number): RowValuesProgram {
  return new RowValuesProgram({
    variableNames: MOMENT_NAMES,
    keys: outer,
    uniforms: ['epsilon'],
    helpers: momentHelpers(1, blockSize),
    prelude: '',
    lanes: ['getXShift(key)', 'shiftedMeanOf(key)', 'invStdOf(key)', '0.0'],
  });
}

/**
 * LayerNorm output on the [outer * blockSize / cols, cols] view of x (cols
 * divides blockSize and paramSize), from layerNormRowValues: gamma/beta are
 * [paramSize / cols, cols] views of x.shape[bpa:] repeating down the rows, so
 * element e reads parameter e % paramSize whether bpa is before or after bna.
 */
export function layerNormProgram(
    outer: number, blockSize: number, paramSize: number, cols: number): PackedRowsProgram {
  return new PackedRowsProgram({
    rows: outer * blockSize / cols,
    cols,
    full: ['x'],
    periodic: {names: ['gamma', 'beta'], periodRows: paramSize / cols},
    rowKey: `row / ${blockSize / cols}`,
    rowValues: ['shift', 'shiftedMean', 'invStd', 'unused'],
    value: '((x4 - shift) - shiftedMean) * invStd * gamma4 + beta4',
  });
}

/**
 * The mean (shift + sum / count, `withShift`) or biased variance (sqDev /
 * count) output of LayerNorm from its Moments.
 */
export class MomentOutputProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;

  constructor(rows: number, count: number, withShift: boolean) {
    this.outputShape = [rows];
    this.variableNames = withShift ? ['shift', 'sums'] : ['sums'];
    const shift = withShift ? 'getShiftAtOutCoords() + ' : '';
    this.userCode = `
      void main() {
        setOutput(${shift}getSumsAtOutCoords() / float(${count}));
      }
    `;
  }
}
