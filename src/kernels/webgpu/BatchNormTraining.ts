// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormTraining, MsBatchNormTrainingAttrs, MsBatchNormTrainingInputs} from '../../kernel_names';
import {batchNormLayout} from './batch_norm_layout';
import {BatchNormProgram, RunningStatProgram} from './batch_norm_webgpu';
import {STAT_MEAN, STAT_SHIFT, STAT_VARIANCE} from './moments_webgpu';
import {moments, run} from './run_programs';
import {disposeAll, filled, sizeOf, view, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore BatchNorm, training: y = (x - mean) / sqrt(var + eps) * gamma + beta
// with the batch mean and BIASED batch variance per channel, and
//   new = (1 - momentum) * running + momentum * batch      (ops.batch_norm's momentum)
// where the variance update uses var * M / (M - 1) when 'unbiased' or var
// when 'biased'. Outputs [y, newMean, newVar]. As the CPU kernel: an empty
// batch leaves the running stats as they are, and with M == 1 'unbiased'
// leaves the running variance unchanged (0/0). Dispatches: statistics (one
// workgroup per channel), y, and the two running statistics.
export function msBatchNormTraining(args: WebGPUKernelArgs<MsBatchNormTrainingInputs, MsBatchNormTrainingAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {momentum, epsilon, dataFormat, varianceUpdate} = attrs;
  const {layout, ch} = batchNormLayout(x!.shape, dataFormat);
  if (sizeOf(x!.shape) === 0) {
    // No statistics: y is empty and the running stats pass through (new references).
    backend.incRef(runningMean!.dataId);
    backend.incRef(runningVar!.dataId);
    return [filled(backend, x!.shape), view(runningMean!, [ch.channels]),
            view(runningVar!, [ch.channels])];
  }
  const stats = moments(backend, x!, layout, epsilon);
  const y = run(backend, new BatchNormProgram(x!.shape, ch, true), [x!, stats, gamma!, beta!]);
  const count = layout.length;
  const newMean = run(
      backend, new RunningStatProgram(ch.channels, [STAT_SHIFT, STAT_MEAN]),
      [view(runningMean!, [ch.channels]), stats], {momentum, scale: 1});
  const unbiased = varianceUpdate === 'unbiased';
  const newVar = run(
      backend, new RunningStatProgram(ch.channels, [STAT_VARIANCE]),
      [view(runningVar!, [ch.channels]), stats], {
        momentum: unbiased && count === 1 ? 0 : momentum,
        scale: unbiased && count > 1 ? count / (count - 1) : 1,
      });
  disposeAll(backend, [stats]);
  return [y, newMean, newVar];
}

export const msBatchNormTrainingConfig = webgpuKernelConfig(MsBatchNormTraining, msBatchNormTraining);
