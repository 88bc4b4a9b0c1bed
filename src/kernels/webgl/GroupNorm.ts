// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormAttrs, MsGroupNormInputs} from '../../kernel_names';

import {groupNormProgram, groupNormRowValues} from './group_norm_gpu';
import {momentInputs} from './moments';
import {packedMoments} from './packed_moments';
import {packedCols} from './packed_rows_gpu';
import {disposeAll, filled, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore GroupNorm on (N, C, *): per sample and group of C / numGroups
// consecutive channels, out = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c]
// with the BIASED variance. A group is contiguous: slices of rows of x's
// [rows, cols] view, read packed. Passes: Moments (shift, sum, squared
// deviations), per-(n, c) values (small), output: 5, plus window stages for large groups.
export function msGroupNorm(
    args: WebGLKernelArgs<MsGroupNormInputs, MsGroupNormAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {numGroups, epsilon}} = args;
  return groupNorm(backend, x!, gamma!, beta!, numGroups, epsilon);
}

/** GroupNorm on (N, C, *); InstanceNorm is the case numGroups = C. */
export function groupNorm(
    backend: MathBackendWebGL, x: TensorInfo, gamma: TensorInfo, beta: TensorInfo,
    numGroups: number, epsilon: number): TensorInfo {
  const [batch, channels] = x.shape;
  const spatial = util.sizeFromShape(x.shape.slice(2));
  if (util.sizeFromShape(x.shape) === 0) {
    return filled(backend, x.shape);
  }
  const perGroup = channels / numGroups;
  const shape = [batch, channels, spatial];
  const cols = packedCols(x.shape, [spatial]);
  const rows = batch * channels * spatial / cols;
  const xRows = view(x, [rows, cols]);
  const m = packedMoments(backend, xRows, {rows, cols, rowsPerSlice: perGroup * spatial / cols});
  const stats = momentInputs(m).map(t => view(t, [batch, numGroups]));
  const rowValues = backend.runWebGLProgram(
      groupNormRowValues(shape, perGroup, m.count), [...stats, gamma, beta], 'float32', [[epsilon]]);
  const y = backend.runWebGLProgram(groupNormProgram(shape, cols), [xRows, rowValues], 'float32');
  disposeAll(backend, [...momentInputs(m), rowValues]);
  return view(y, x.shape);
}

export const MsGroupNormConfig = webglKernelConfig(MsGroupNorm, msGroupNorm);
