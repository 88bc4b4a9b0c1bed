// SPDX-License-Identifier: Apache-2.0
import {MOMENT_NAMES, momentHelpers} from './moments';
import {PackedRowsProgram, RowValuesProgram} from './packed_rows_gpu';

/** The lanes of layerNormGradRowValues, in order. */
const ROW_VALUES = [
  'shift', 'shiftedMean', 'invStd', 'meanG', 'meanGXhat', 'viaMean', 'viaVariance', 'unused',
];

/**
 * Per row of LayerNorm's [outer, M] view (M = blockSize), from its Moments,
 * sumG = sum(g) and sumGC = sum(g * (x - mean)) with g = dy * gamma: shift,
 * mean - shift, invStd, mean(g), mean(g * xhat), and the factors of the
 * paths through the mean and variance outputs, dmean / M and 2 dvariance / M
 * (0 when those gradients are not given).
 */
export function layerNormGradRowValues(
    outer: number, blockSize: number, hasDmean: boolean, hasDvariance: boolean):
    RowValuesProgram {
  const m = `float(${blockSize})`;
  return new RowValuesProgram({
    variableNames: [
      ...MOMENT_NAMES, 'sumG', 'sumGC', ...(hasDmean ? ['dmean'] : []),
      ...(hasDvariance ? ['dvariance'] : []),
    ],
    keys: outer,
    uniforms: ['epsilon'],
    helpers: momentHelpers(1, blockSize),
    prelude: 'float invStd = invStdOf(key);',
    lanes: [
      'getXShift(key)', 'shiftedMeanOf(key)', 'invStd', `getSumG(key) / ${m}`,
      `getSumGC(key) * invStd / ${m}`, hasDmean ? `getDmean(key) / ${m}` : '0.0',
      hasDvariance ? `2.0 * getDvariance(key) / ${m}` : '0.0', '0.0',
    ],
  });
}

function layerNormRows(rows: number, cols: number, blockSize: number, value: string,
                       periodRows?: number): PackedRowsProgram {
  return new PackedRowsProgram({
    rows,
    cols,
    full: ['x', 'dy'],
    periodic: periodRows != null ? {names: ['gamma'], periodRows} : undefined,
    rowKey: `row / ${blockSize / cols}`,
    rowValues: ROW_VALUES,
    value,
  });
}

/**
 * LayerNorm's dx on the [rows, cols] view of x, from layerNormGradRowValues,
 * xhat = (x - mean) * invStd, g = dy * gamma (gamma a [periodRows, cols] view
 * repeating down the rows):
 *   dx = invStd * (g - mean(g) - xhat * mean(g * xhat))
 *        + dmean / M + 2 * dvariance * (x - mean) / M.
 */
export function layerNormGradProgram(
    rows: number, cols: number, blockSize: number, periodRows: number): PackedRowsProgram {
  return layerNormRows(rows, cols, blockSize, `invStd * (dy4 * gamma4 - meanG -
      ((x4 - shift) - shiftedMean) * invStd * meanGXhat) + viaMean +
      viaVariance * ((x4 - shift) - shiftedMean)`, periodRows);
}

/** dy * xhat on the [rows, cols] view, for LayerNorm's dgamma. */
export function xhatProductProgram(rows: number, cols: number, blockSize: number):
    PackedRowsProgram {
  return layerNormRows(rows, cols, blockSize, 'dy4 * ((x4 - shift) - shiftedMean) * invStd');
}
