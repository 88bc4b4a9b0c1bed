// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormTraining, MsBatchNormTrainingAttrs, MsBatchNormTrainingInputs} from '../../kernel_names';
import {channelAffine, channelLayout, channelMoments} from './channel_stats';
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

  // An empty batch carries no statistics: the running stats stay as they are.
  // With one value per channel the unbiased variance is 0/0; MindSpore's GPU
  // path would write inf/NaN and substituting the biased 0 would drag the
  // moving variance towards 0 (inference would then divide by ~sqrt(eps)), so
  // the running variance is left unchanged there (the mean still updates).
  const newMean = new Float32Array(channels);
  const newVar = new Float32Array(channels);
  const updateVar = count > 1 || (count === 1 && varianceUpdate === 'biased');
  const varFactor = varianceUpdate === 'unbiased' && count > 1 ? count / (count - 1) : 1;
  for (let c = 0; c < channels; c++) {
    newMean[c] = count > 0 ? (1 - momentum) * meanVals[c] + momentum * mean[c] : meanVals[c];
    newVar[c] = updateVar ? (1 - momentum) * varVals[c] + momentum * variance[c] * varFactor :
                            varVals[c];
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', y),
    backend.makeTensorInfo([channels], 'float32', newMean),
    backend.makeTensorInfo([channels], 'float32', newVar),
  ];
}

export const MsBatchNormTrainingConfig = cpuKernelConfig(MsBatchNormTraining, msBatchNormTraining);
