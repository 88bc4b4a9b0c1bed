// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsBatchNormTraining, MsBatchNormTrainingAttrs, MsBatchNormTrainingInputs} from '../../kernel_names';
import {BatchNormProgram} from './batch_norm_gpu';
import {channelView} from '../gpu_util/channel_view';
import {momentInputs, moments} from './moments';
import {RunningStatProgram} from './running_stat_gpu';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore BatchNorm, training: y = (x - mean) / sqrt(var + eps) * gamma + beta
// with the batch mean and BIASED batch variance per channel, and
//   new = (1 - momentum) * running + momentum * batch      (ops.batch_norm's momentum)
// where the variance update uses var * M / (M - 1) when 'unbiased' (MindSpore's
// GPU kernel) or var when 'biased' (its CPU kernel). Outputs [y, newMean, newVar].
// As the CPU kernel: an empty batch leaves the running stats as they are, and
// with M == 1 'unbiased' leaves the running variance unchanged (0/0).
// Passes: shift, sum, squared deviations (per channel, on an [outer, C,
// inner] view; plus window stages for large batches), y, new mean, new variance: 6.
export function msBatchNormTraining(
    args: WebGLKernelArgs<MsBatchNormTrainingInputs, MsBatchNormTrainingAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {momentum, epsilon, dataFormat, varianceUpdate} = attrs;
  const shape = channelView(x!.shape, dataFormat);
  const [, channels] = shape;
  if (util.sizeFromShape(x!.shape) === 0) {
    // No statistics: y is empty and the running stats pass through (new references).
    backend.incRef(runningMean!.dataId);
    backend.incRef(runningVar!.dataId);
    return [
      filled(backend, x!.shape),
      {...runningMean!, shape: [channels]},
      {...runningVar!, shape: [channels]},
    ];
  }
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const m = moments(backend, xView, shape, [0, 2]);
  const {count} = m;
  const y = backend.runWebGLProgram(
      new BatchNormProgram(shape, count), [xView, ...momentInputs(m), gamma!, beta!], 'float32',
      [[epsilon]]);
  // The batch mean is shift + sum / count; the variance has no shift.
  const newMean = backend.runWebGLProgram(
      new RunningStatProgram(channels, true), [runningMean!, m.sum, m.shift], 'float32',
      [[momentum], [1 / count]]);
  const unbiased = varianceUpdate === 'unbiased';
  const varMomentum = unbiased && count === 1 ? 0 : momentum;
  const varScale = unbiased && count > 1 ? 1 / (count - 1) : 1 / count;
  const newVar = backend.runWebGLProgram(
      new RunningStatProgram(channels, false), [runningVar!, m.sqDev], 'float32',
      [[varMomentum], [varScale]]);
  disposeAll(backend, [...momentInputs(m), ...temps]);
  return [view(y, x!.shape), newMean, newVar];
}

export const MsBatchNormTrainingConfig =
    webglKernelConfig(MsBatchNormTraining, msBatchNormTraining);
