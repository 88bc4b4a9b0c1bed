// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormTraining, MsBatchNormTrainingAttrs, MsBatchNormTrainingInputs} from '../../kernel_names';
import {channelAffine, channelLayout, channelMoments, updateRunningStats} from './channel_stats';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';

// MindSpore BatchNorm, training: y = (x - mean) / sqrt(var + eps) * gamma + beta
// with the batch mean and BIASED batch variance per channel, and
//   new = (1 - momentum) * running + momentum * batch      (ops.batch_norm's momentum)
// where the variance update uses var * M / (M - 1) when 'unbiased' (MindSpore's
// GPU kernel) or var when 'biased' (its CPU kernel). Outputs [y, newMean, newVar].
export function msBatchNormTraining(
    args: CpuKernelArgs<MsBatchNormTrainingInputs, MsBatchNormTrainingAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {momentum, epsilon, dataFormat, varianceUpdate} = attrs;
  const xVals = valuesOf(backend, x!);
  const gammaVals = valuesOf(backend, gamma!);
  const meanVals = valuesOf(backend, runningMean!);
  const varVals = valuesOf(backend, runningVar!);
  const layout = channelLayout(x!.shape, dataFormat);
  const {channels, count} = layout;
  const {mean, variance} = channelMoments(xVals, layout);

  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gammaVals[c] / Math.sqrt(variance[c] + epsilon);
  }
  const y = new Float32Array(xVals.length);
  channelAffine(xVals, layout, mean, scale, valuesOf(backend, beta!), y);

  const newMean = new Float32Array(channels);
  const newVar = new Float32Array(channels);
  updateRunningStats(count, momentum, varianceUpdate, mean, variance, meanVals, varVals, newMean,
                     newVar);
  return [
    backend.makeTensorInfo(x!.shape, 'float32', y),
    backend.makeTensorInfo([channels], 'float32', newMean),
    backend.makeTensorInfo([channels], 'float32', newVar),
  ];
}

export const MsBatchNormTrainingConfig = cpuKernelConfig(MsBatchNormTraining, msBatchNormTraining);
