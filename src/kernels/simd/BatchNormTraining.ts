// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormTrainingAttrs} from '../../kernel_names';
import {channelLayout} from '../cpu/channel_stats';
import {SimdCall, SimdInputs} from './simd_call';

/**
 * From the batch statistics in the float64 slots at `slots` (mean, variance,
 * then scale and offset: `channels` each), fills scale = gamma / sqrt(var +
 * eps), offset = beta, and the updated running statistics (unchanged for an
 * empty batch; the variance also for one value per channel when unbiased).
 */
export function trainingCoefficients(
    call: SimdCall, slots: number, channels: number, count: number,
    attrs: MsBatchNormTrainingAttrs, gammaVals: Float32Array, betaVals: Float32Array,
    meanVals: Float32Array, varVals: Float32Array, newMean: Float32Array,
    newVar: Float32Array): void {
  const {momentum, epsilon, varianceUpdate} = attrs;
  const [mean, variance, scale, offset] =
      [0, 1, 2, 3].map(i => call.f64(slots + i * channels * 8, channels));
  offset.set(betaVals);
  const updateVar = count > 1 || (count === 1 && varianceUpdate === 'biased');
  const varFactor = varianceUpdate === 'unbiased' && count > 1 ? count / (count - 1) : 1;
  for (let c = 0; c < channels; c++) {
    scale[c] = gammaVals[c] / Math.sqrt(variance[c] + epsilon);
    newMean[c] = count > 0 ? (1 - momentum) * meanVals[c] + momentum * mean[c] : meanVals[c];
    newVar[c] = updateVar ? (1 - momentum) * varVals[c] + momentum * variance[c] * varFactor :
                            varVals[c];
  }
}

// y with the batch mean and biased variance; outputs [y, newMean, newVar] with
// new = (1 - momentum) * running + momentum * batch (the variance update
// unbiased or biased, as the cpu kernel: see src/kernels/cpu/BatchNormTraining.ts).
export function simdBatchNormTraining(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[] {
  const {dataFormat} = attrs as unknown as MsBatchNormTrainingAttrs;
  const {x, gamma, beta, runningMean, runningVar} = inputs;
  const {outer, channels, inner, count} = channelLayout(x.shape, dataFormat);
  const px = call.input(x);
  const y = call.output(x.shape);
  const newMeanAt = call.output([channels]);
  const newVarAt = call.output([channels]);
  const stats = call.scratch(4 * channels * 8);
  const [meanAt, varAt, scaleAt, offsetAt] = [0, 1, 2, 3].map(i => stats + i * channels * 8);
  if (count > 0) {
    call.k.channelMoments(px, outer, channels, inner, meanAt, varAt);
  }
  // Views only after the last allocation (an allocation may replace the buffer).
  trainingCoefficients(call, stats, channels, count, attrs as unknown as MsBatchNormTrainingAttrs,
                       call.read(gamma), call.read(beta), call.read(runningMean),
                       call.read(runningVar), call.f32(newMeanAt, channels),
                       call.f32(newVarAt, channels));
  if (count > 0) {
    call.k.channelAffine(px, y, outer, channels, inner, meanAt, scaleAt, offsetAt);
  }
  return call.finish();
}
