// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormAttrs, MsLayerNormInputs} from '../../kernel_names';

import {layerNormProgram, layerNormRowValues, MomentOutputProgram} from './layer_norm_gpu';
import {momentInputs} from './moments';
import {packedMoments} from './packed_moments';
import {packedCols} from './packed_rows_gpu';
import {disposeAll, filled, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore LayerNorm: y = (x - mean) / sqrt(var + eps) * gamma + beta, with mean
// and biased var over axes [bna, rank) and gamma/beta over x.shape[bpa:].
// Outputs [y, mean, variance] like mindspore.ops.LayerNorm. Rows of
// blockSize values, read packed. Passes: shift, sum, squared deviations (plus
// window stages for long rows), per-row values, y, mean, variance: 7.
export function msLayerNorm(
    args: WebGLKernelArgs<MsLayerNormInputs, MsLayerNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta}, backend, attrs} = args;
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs;
  const outer = util.sizeFromShape(x!.shape.slice(0, beginNormAxis));
  const blockSize = util.sizeFromShape(x!.shape.slice(beginNormAxis));
  const paramSize = util.sizeFromShape(x!.shape.slice(beginParamsAxis));
  const statsShape = x!.shape.map((d, i) => (i < beginNormAxis ? d : 1));
  if (outer * blockSize === 0) {
    // No values: statistics of empty rows are 0/0 (as on the CPU).
    return [
      filled(backend, x!.shape),
      filled(backend, statsShape, NaN),
      filled(backend, statsShape, NaN),
    ];
  }
  const cols = packedCols(x!.shape, [blockSize, paramSize]);
  const rows = outer * blockSize / cols;
  const xRows = view(x!, [rows, cols]);
  const m = packedMoments(backend, xRows, {rows, cols, rowsPerSlice: blockSize / cols});
  const rowValues = backend.runWebGLProgram(
      layerNormRowValues(outer, blockSize), momentInputs(m), 'float32', [[epsilon]]);
  const params = [gamma!, beta!].map(p => view(p, [paramSize / cols, cols]));
  const y = backend.runWebGLProgram(
      layerNormProgram(outer, blockSize, paramSize, cols),
      [xRows, ...params, rowValues], 'float32');
  const mean = backend.runWebGLProgram(
      new MomentOutputProgram(outer, m.count, true), [view(m.shift, [outer]), view(m.sum, [outer])],
      'float32');
  const variance = backend.runWebGLProgram(
      new MomentOutputProgram(outer, m.count, false), [view(m.sqDev, [outer])], 'float32');
  disposeAll(backend, [...momentInputs(m), rowValues]);
  return [view(y, x!.shape), view(mean, statsShape), view(variance, statsShape)];
}

export const MsLayerNormConfig = webglKernelConfig(MsLayerNorm, msLayerNorm);
