// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsLayerNormGrad, MsLayerNormGradAttrs, MsLayerNormGradInputs} from '../../kernel_names';

import {layerNormGradProgram, layerNormGradRowValues, xhatProductProgram} from './layer_norm_grad_gpu';
import {momentInputs} from './moments';
import {packedMoments} from './packed_moments';
import {packedCols} from './packed_rows_gpu';
import {packedColumnSum, packedSliceSum} from './packed_sum_gpu';
import {disposeAll, filled, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// Backward of y = xhat * gamma + beta, xhat = (x - mean) * rstd, per row of M
// values (statistics recomputed from x), with g = dy * gamma:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) + dmean / M + dvar * 2 (x - mean) / M
//   dgamma = sum(dy * xhat), dbeta = sum(dy), summed over the axes gamma lacks.
// Element e uses parameter e % paramSize. All full-size reads are packed.
// Passes: Moments (3), row sums of g and g * (x - mean) (2), per-row
// values (1), dx (1), dy * xhat (1), dgamma and dbeta column sums (2): 10,
// plus window stages for long reductions.
export function msLayerNormGrad(
    args: WebGLKernelArgs<MsLayerNormGradInputs, MsLayerNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy, dmean, dvariance}, backend, attrs} = args;
  const {beginNormAxis, epsilon} = attrs;
  const outer = util.sizeFromShape(x!.shape.slice(0, beginNormAxis));
  const blockSize = util.sizeFromShape(x!.shape.slice(beginNormAxis));
  const paramSize = util.sizeFromShape(gamma!.shape);
  if (outer * blockSize === 0) {
    return [
      filled(backend, x!.shape),
      filled(backend, gamma!.shape),
      filled(backend, gamma!.shape),
    ];
  }
  const cols = packedCols(x!.shape, [blockSize, paramSize]);
  const rows = outer * blockSize / cols;
  const periodRows = paramSize / cols;
  const [xRows, dyRows] = [x!, dy!].map(t => view(t, [rows, cols]));
  const gammaRows = view(gamma!, [periodRows, cols]);
  const slices = {rows, cols, rowsPerSlice: blockSize / cols};
  const m = packedMoments(backend, xRows, slices);
  const col = (t: TensorInfo) => view(t, [outer, 1]);
  const g = {slices, full: ['dy'], periodic: {names: ['gamma'], periodRows}};
  const sumG = packedSliceSum(backend, {...g, term: 'dy4 * gamma4'}, [dyRows, gammaRows]);
  // sum(g * (x - mean)); invStd is applied per row in the dx pass.
  const sumGC = packedSliceSum(backend, {
    ...g,
    full: ['x', 'dy'],
    smalls: ['xShift', 'xSum'],
    slicePrelude: `float shift = rowLane(getXShift(s, 0), s);
        float shiftedMean = rowLane(getXSum(s, 0), s) / float(${blockSize});`,
    term: 'dy4 * gamma4 * ((x4 - shift) - shiftedMean)',
  }, [xRows, dyRows, gammaRows, col(m.shift), col(m.sum)]);
  const extra = [...(dmean != null ? [dmean] : []), ...(dvariance != null ? [dvariance] : [])];
  const rowValues = backend.runWebGLProgram(
      layerNormGradRowValues(outer, blockSize, dmean != null, dvariance != null),
      [...momentInputs(m), sumG, sumGC, ...extra.map(t => view(t, [outer]))], 'float32',
      [[epsilon]]);
  const dx = backend.runWebGLProgram(
      layerNormGradProgram(rows, cols, blockSize, periodRows), [xRows, dyRows, gammaRows, rowValues],
      'float32');
  // dgamma = sum(dy * xhat) per parameter: the product, then column sums (dbeta likewise of dy).
  const dyXhat = backend.runWebGLProgram(
      xhatProductProgram(rows, cols, blockSize), [xRows, dyRows, rowValues], 'float32');
  const dgamma = packedColumnSum(backend, rows, cols, periodRows, [['p', dyXhat]], 'p4');
  const dbeta = packedColumnSum(backend, rows, cols, periodRows, [['dy', dyRows]], 'dy4');
  disposeAll(backend, [...momentInputs(m), sumG, sumGC, rowValues, dyXhat]);
  return [view(dx, x!.shape), view(dgamma, gamma!.shape), view(dbeta, gamma!.shape)];
}

export const MsLayerNormGradConfig = webglKernelConfig(MsLayerNormGrad, msLayerNormGrad);
