// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormInferenceAttrs} from '../../kernel_names';
import {channelLayout} from '../cpu/channel_stats';
import {SimdCall, SimdInputs} from './simd_call';

// y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta.
export function simdBatchNormInference(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo {
  const {epsilon, dataFormat} = attrs as unknown as MsBatchNormInferenceAttrs;
  const {x, gamma, beta, runningMean, runningVar} = inputs;
  const {outer, channels, inner} = channelLayout(x.shape, dataFormat);
  const px = call.input(x);
  const y = call.output(x.shape);
  const stats = call.scratch(3 * channels * 8);
  const [shiftAt, scaleAt, offsetAt] = [0, 1, 2].map(i => stats + i * channels * 8);
  const gammaVals = call.read(gamma);
  const varVals = call.read(runningVar);
  call.f64(shiftAt, channels).set(call.read(runningMean));
  call.f64(offsetAt, channels).set(call.read(beta));
  const scale = call.f64(scaleAt, channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gammaVals[c] / Math.sqrt(varVals[c] + epsilon);
  }
  call.k.channelAffine(px, y, outer, channels, inner, shiftAt, scaleAt, offsetAt);
  return call.finish()[0];
}
