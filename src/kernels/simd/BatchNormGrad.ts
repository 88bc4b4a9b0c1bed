// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormGradAttrs} from '../../kernel_names';
import {channelLayout} from '../cpu/channel_stats';
import {SimdCall, SimdInputs} from './simd_call';

// xhat = (x - mean) * invStd per channel, M values per channel:
//   training  dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))  (batch statistics)
//   inference dx = dy * gamma * invStd                                        (running statistics)
//   dgamma = sum(dy * xhat), dbeta = sum(dy).  Outputs [dx, dgamma, dbeta].
export function simdBatchNormGrad(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[] {
  const {training, epsilon, dataFormat} = attrs as unknown as MsBatchNormGradAttrs;
  const {x, gamma, runningMean, runningVar, dy} = inputs;
  const {outer, channels, inner, count} = channelLayout(x.shape, dataFormat);
  const px = call.input(x);
  const pdy = call.input(dy);
  const dx = call.output(x.shape);
  const dgammaAt = call.output([channels]);
  const dbetaAt = call.output([channels]);
  const slots = call.scratch(7 * channels * 8);
  const [meanAt, varAt, sumDyAt, sumDyXcAt, pAt, qAt, rAt] =
      [0, 1, 2, 3, 4, 5, 6].map(i => slots + i * channels * 8);
  if (training) {
    if (count > 0) {
      call.k.channelMoments(px, outer, channels, inner, meanAt, varAt);
    }
  } else {
    call.f64(meanAt, channels).set(call.read(runningMean));
    call.f64(varAt, channels).set(call.read(runningVar));
  }
  call.f64(sumDyAt, 2 * channels).fill(0);  // sumDy and sumDyXc, adjacent
  call.k.channelDySums(px, pdy, outer, channels, inner, meanAt, sumDyAt, sumDyXcAt);
  const variance = call.f64(varAt, channels);
  const sumDy = call.f64(sumDyAt, channels);
  const sumDyXc = call.f64(sumDyXcAt, channels);
  const p = call.f64(pAt, channels);
  const q = call.f64(qAt, channels);
  const r = call.f64(rAt, channels);
  const gammaVals = call.read(gamma);
  const dgamma = call.f32(dgammaAt, channels);
  const dbeta = call.f32(dbetaAt, channels);
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(variance[c] + epsilon);
    p[c] = gammaVals[c] * invStd;
    dgamma[c] = count > 0 ? sumDyXc[c] * invStd : 0;
    dbeta[c] = sumDy[c];
    // dx = p * dy + q * (x - mean) + r; inference needs only p.
    q[c] = training && count > 0 ? -p[c] * invStd * invStd * sumDyXc[c] / count : 0;
    r[c] = training && count > 0 ? -p[c] * sumDy[c] / count : 0;
  }
  if (training && count > 0) {
    call.k.channelGradient(pdy, px, dx, outer, channels, inner, meanAt, pAt, qAt, rAt);
  } else if (!training) {
    // dx = (dy - 0) * p + 0: q and r are zero here.
    call.k.channelAffine(pdy, dx, outer, channels, inner, qAt, pAt, rAt);
  }
  return call.finish();
}
