// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNormGrad, MsRMSNormGradAttrs, MsRMSNormGradInputs} from '../../kernel_names';
import {rmsNormRows} from '../gpu_util/rms_norm_rows';

import {RMSNormGradProgram} from './rms_norm_grad_gpu';
import {sliceSum} from './slice_sum';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore RmsNormGrad(dy, x, rstd, gamma) per row of M values, with the forward's rstd:
//   dx = rstd * dy * gamma - x * rstd^3 * sum(dy * gamma * x) / M
//   dgamma = sum over rows of dy * x * rstd
// Outputs [dx, dgamma]. Passes: row dot (1), dx (1), dgamma (1), plus window
// stages for long reductions.
export function msRMSNormGrad(
    args: WebGLKernelArgs<MsRMSNormGradInputs, MsRMSNormGradAttrs>): TensorInfo[] {
  const {inputs: {dy, x, rstd, gamma}, backend} = args;
  const {rows, rowSize} = rmsNormRows(x!.shape, gamma!.shape.length);
  if (rows * rowSize === 0) {
    return [
      filled(backend, x!.shape),
      filled(backend, gamma!.shape),
    ];
  }
  const shape = [rows, rowSize];
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const dyView = unpackedView(backend, dy!, shape, temps);
  const rstdView = unpackedView(backend, rstd!, [rows], temps);
  const gammaView = unpackedView(backend, gamma!, [rowSize], temps);
  const dot = sliceSum(backend, [xView, dyView, gammaView], {
    variableNames: ['x', 'dy', 'gamma'],
    shape,
    axes: [1],
    terms: ['getDy(i0, i1) * getGamma(i1) * getX(i0, i1)'],
  });
  const dx = backend.runWebGLProgram(
      new RMSNormGradProgram(shape),
      [xView, dyView, rstdView, gammaView, view(dot, [rows])], 'float32');
  const dgamma = sliceSum(backend, [xView, dyView, rstdView], {
    variableNames: ['x', 'dy', 'rstd'],
    shape,
    axes: [0],
    terms: ['getDy(i0, i1) * getX(i0, i1) * getRstd(i0)'],
  });
  disposeAll(backend, [dot, ...temps]);
  return [view(dx, x!.shape), view(dgamma, gamma!.shape)];
}

export const MsRMSNormGradConfig = webglKernelConfig(MsRMSNormGrad, msRMSNormGrad);
