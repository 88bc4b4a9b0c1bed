// SPDX-License-Identifier: Apache-2.0
import {MOMENT_NAMES, momentHelpers} from './moments';
import {PackedRowsProgram, RowValuesProgram} from './packed_rows_gpu';

/**
 * GLSL for a RowValuesProgram keyed by (n, c) of an [N, C, S] tensor
 * (key = n * C + c): the channel `c` and the group's `shift`, `shiftedMean`
 * and `invStd` from Moments [N, G] of groups of `perGroup` channels.
 */
export function channelKeyPrelude(channels: number, perGroup: number): string {
  return `
    int n = key / ${channels};
    int c = key - n * ${channels};
    int g = c / ${perGroup};
    float shift = getXShift(n, g);
    float shiftedMean = shiftedMeanOf(n, g);
    float invStd = invStdOf(n, g);
  `;
}

/**
 * Per (n, c) of GroupNorm on [N, C, S]: shift, mean - shift, invStd * gamma[c]
 * and beta[c], from Moments of `count` values per group.
 */
export function groupNormRowValues(shape: number[], perGroup: number, count: number):
    RowValuesProgram {
  const [batch, channels] = shape;
  return new RowValuesProgram({
    variableNames: [...MOMENT_NAMES, 'gamma', 'beta'],
    keys: batch * channels,
    uniforms: ['epsilon'],
    helpers: momentHelpers(2, count),
    prelude: channelKeyPrelude(channels, perGroup),
    lanes: ['shift', 'shiftedMean', 'invStd * getGamma(c)', 'getBeta(c)'],
  });
}

/**
 * GroupNorm output on [N, C, S] (S = spatial size), written as its
 * [N * C * S / cols, cols] view (cols divides S) from groupNormRowValues:
 *   y = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c].
 */
export function groupNormProgram(shape: number[], cols: number): PackedRowsProgram {
  const [batch, channels, spatial] = shape;
  return new PackedRowsProgram({
    rows: batch * channels * spatial / cols,
    cols,
    full: ['x'],
    rowKey: `row / ${spatial / cols}`,
    rowValues: ['shift', 'shiftedMean', 'scale', 'offset'],
    value: '((x4 - shift) - shiftedMean) * scale + offset',
  });
}
