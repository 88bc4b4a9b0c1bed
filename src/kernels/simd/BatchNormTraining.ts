// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormTrainingAttrs} from '../../kernel_names';
import {channelLayout} from '../cpu/channel_stats';
import {SimdCall, SimdInputs} from './simd_call';

// y with the batch mean and biased variance; outputs [y, newMean, newVar] with
// new = (1 - momentum) * running + momentum * batch (the variance update
// unbiased or biased, as the cpu kernel: see src/kernels/cpu/BatchNormTraining.ts).
export function simdBatchNormTraining(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[] {
  const {momentum, epsilon, dataFormat, varianceUpdate} =
      attrs as unknown as MsBatchNormTrainingAttrs;
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
  const mean = call.f64(meanAt, channels);
  const variance = call.f64(varAt, channels);
  const scale = call.f64(scaleAt, channels);
  const gammaVals = call.read(gamma);
  const betaVals = call.read(beta);
  const meanVals = call.read(runningMean);
  const varVals = call.read(runningVar);
  call.f64(offsetAt, channels).set(betaVals);
  for (let c = 0; c < channels; c++) {
    scale[c] = gammaVals[c] / Math.sqrt(variance[c] + epsilon);
  }
  const newMean = call.f32(newMeanAt, channels);
  const newVar = call.f32(newVarAt, channels);
  const updateVar = count > 1 || (count === 1 && varianceUpdate === 'biased');
  const varFactor = varianceUpdate === 'unbiased' && count > 1 ? count / (count - 1) : 1;
  for (let c = 0; c < channels; c++) {
    newMean[c] = count > 0 ? (1 - momentum) * meanVals[c] + momentum * mean[c] : meanVals[c];
    newVar[c] = updateVar ? (1 - momentum) * varVals[c] + momentum * variance[c] * varFactor :
                            varVals[c];
  }
  if (count > 0) {
    call.k.channelAffine(px, y, outer, channels, inner, meanAt, scaleAt, offsetAt);
  }
  return call.finish();
}
