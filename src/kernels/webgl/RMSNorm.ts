// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNorm, MsRMSNormAttrs, MsRMSNormInputs} from '../../kernel_names';
import {rmsNormRows} from '../gpu_util/rms_norm_rows';

import {RMSNormProgram, RMSNormRstdProgram} from './rms_norm_gpu';
import {sliceSum} from './slice_sum';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore RmsNorm: per row, rstd = 1 / sqrt(mean(x^2) + eps), y = x * rstd * gamma.
// Outputs [y, rstd]. Passes: sum of squares (plus window stages for long
// rows), rstd, y: 3.
export function msRMSNorm(args: WebGLKernelArgs<MsRMSNormInputs, MsRMSNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma}, backend, attrs: {epsilon}} = args;
  const {rows, rowSize, rstdShape} = rmsNormRows(x!.shape, gamma!.shape.length);
  if (rows * rowSize === 0) {
    // No values: the mean square of an empty row is 0/0 (as on the CPU).
    return [
      filled(backend, x!.shape),
      filled(backend, rstdShape, NaN),
    ];
  }
  const shape = [rows, rowSize];
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const sumSq = sliceSum(
      backend, [xView],
      {variableNames: ['x'], shape, axes: [1], terms: ['getX(i0, i1) * getX(i0, i1)']});
  const rstd = backend.runWebGLProgram(
      new RMSNormRstdProgram(rows, rowSize), [view(sumSq, [rows])], 'float32', [[epsilon]]);
  const y = backend.runWebGLProgram(
      new RMSNormProgram(shape), [xView, rstd, view(gamma!, [rowSize])], 'float32');
  disposeAll(backend, [sumSq, ...temps]);
  return [view(y, x!.shape), view(rstd, rstdShape)];
}

export const MsRMSNormConfig = webglKernelConfig(MsRMSNorm, msRMSNorm);
