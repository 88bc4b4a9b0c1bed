// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormGradAttrs} from '../../kernel_names';
import {channelLayout} from '../cpu/channel_stats';
import {SimdCall, SimdInputs} from './simd_call';

/**
 * From the float64 slots at `slots` (mean, variance, sumDy, sumDyXc, then p,
 * q, r: `channels` each, in that order), fills dgamma and dbeta and the dx
 * coefficients: dx = p * dy + q * (x - mean) + r (inference needs only p;
 * q and r stay 0).
 */
export function gradientCoefficients(
    call: SimdCall, training: boolean, count: number, epsilon: number, gammaVals: Float32Array,
    slots: number, channels: number, dgamma: Float32Array, dbeta: Float32Array): void {
  const [, variance, sumDy, sumDyXc, p, q, r] =
      [0, 1, 2, 3, 4, 5, 6].map(i => call.f64(slots + i * channels * 8, channels));
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(variance[c] + epsilon);
    p[c] = gammaVals[c] * invStd;
    dgamma[c] = count > 0 ? sumDyXc[c] * invStd : 0;
    dbeta[c] = sumDy[c];
    q[c] = training && count > 0 ? -p[c] * invStd * invStd * sumDyXc[c] / count : 0;
    r[c] = training && count > 0 ? -p[c] * sumDy[c] / count : 0;
  }
}

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
  gradientCoefficients(call, training, count, epsilon, call.read(gamma), slots, channels,
                       call.f32(dgammaAt, channels), call.f32(dbetaAt, channels));
  if (training && count > 0) {
    call.k.channelGradient(pdy, px, dx, outer, channels, inner, meanAt, pAt, qAt, rAt);
  } else if (!training) {
    // dx = (dy - 0) * p + 0: q and r are zero here.
    call.k.channelAffine(pdy, dx, outer, channels, inner, qAt, pAt, rAt);
  }
  return call.finish();
}
