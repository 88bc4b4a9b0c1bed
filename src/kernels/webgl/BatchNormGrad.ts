// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsBatchNormGrad, MsBatchNormGradAttrs, MsBatchNormGradInputs} from '../../kernel_names';
import {BatchNormGradProgram} from './batch_norm_grad_gpu';
import {channelView} from '../gpu_util/channel_view';
import {MOMENT_NAMES, momentHelpers, momentInputs, moments} from './moments';
import {sliceSum} from './slice_sum';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore BatchNormGrad, with xhat = (x - mean) * invStd per channel and M values per channel:
//   training  dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
//             (mean, var: the batch's, recomputed from x)
//   inference dx = dy * gamma * invStd            (mean, var: the running statistics)
//   dgamma = sum(dy * xhat), dbeta = sum(dy).     Outputs [dx, dgamma, dbeta].
// On an [outer, C, inner] view. Passes: training 6 (Moments of x: shift,
// sum, squared deviations; dbeta, dgamma, dx); inference 3 (dbeta, dgamma, dx);
// plus window stages for large batches.
export function msBatchNormGrad(
    args: WebGLKernelArgs<MsBatchNormGradInputs, MsBatchNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, runningMean, runningVar, dy}, backend, attrs} = args;
  const {training, epsilon, dataFormat} = attrs;
  const shape = channelView(x!.shape, dataFormat);
  const [, channels] = shape;
  if (util.sizeFromShape(x!.shape) === 0) {
    return [
      filled(backend, x!.shape),
      filled(backend, [channels]),
      filled(backend, [channels]),
    ];
  }
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const dyView = unpackedView(backend, dy!, shape, temps);
  const dbeta = sliceSum(
      backend, [dyView], {variableNames: ['dy'], shape, axes: [0, 2], terms: ['getDy(i0, i1, i2)']});
  const dyXhat = 'getDy(i0, i1, i2) * (getX(i0, i1, i2) - mean) * invStd';

  if (!training) {
    const dgamma = sliceSum(backend, [xView, dyView, runningMean!, runningVar!], {
      variableNames: ['x', 'dy', 'runningMean', 'runningVar'],
      shape,
      axes: [0, 2],
      uniforms: {epsilon},
      slicePrelude: `float mean = getRunningMean(i1);
          float invStd = inversesqrt(getRunningVar(i1) + epsilon);`,
      terms: [dyXhat],
    });
    const dx = backend.runWebGLProgram(
        new BatchNormGradProgram(shape, false, 1), [dyView, runningVar!, gamma!], 'float32',
        [[epsilon]]);
    disposeAll(backend, temps);
    return [view(dx, x!.shape), dgamma, dbeta];
  }

  const m = moments(backend, xView, shape, [0, 2]);
  const {count} = m;
  const dgamma = sliceSum(backend, [xView, dyView, ...momentInputs(m)], {
    variableNames: ['x', 'dy', ...MOMENT_NAMES],
    shape,
    axes: [0, 2],
    uniforms: {epsilon},
    helpers: momentHelpers(1, count),
    slicePrelude: 'float invStd = invStdOf(i1);',
    terms: ['getDy(i0, i1, i2) * centredOf(getX(i0, i1, i2), i1) * invStd'],
  });
  const dx = backend.runWebGLProgram(
      new BatchNormGradProgram(shape, true, count), [xView, dyView, ...momentInputs(m), gamma!, dgamma, dbeta],
      'float32', [[epsilon]]);
  disposeAll(backend, [...momentInputs(m), ...temps]);
  return [view(dx, x!.shape), dgamma, dbeta];
}

export const MsBatchNormGradConfig = webglKernelConfig(MsBatchNormGrad, msBatchNormGrad);
