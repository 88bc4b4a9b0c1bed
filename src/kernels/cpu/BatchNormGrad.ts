// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormGrad, MsBatchNormGradAttrs, MsBatchNormGradInputs} from '../../kernel_names';
import {channelDySums, channelGradient, channelLayout, channelMoments} from './channel_stats';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';

// MindSpore BatchNormGrad, with xhat = (x - mean) * invStd per channel and M values per channel:
//   training  dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
//             (mean, var: the batch's, recomputed from x)
//   inference dx = dy * gamma * invStd            (mean, var: the running statistics)
//   dgamma = sum(dy * xhat), dbeta = sum(dy).     Outputs [dx, dgamma, dbeta].
export function msBatchNormGrad(
    args: CpuKernelArgs<MsBatchNormGradInputs, MsBatchNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, runningMean, runningVar, dy}, backend, attrs} = args;
  const {training, epsilon, dataFormat} = attrs;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const gammaVals = valuesOf(backend, gamma!);
  const layout = channelLayout(x!.shape, dataFormat);
  const {channels, count} = layout;

  let mean: Float64Array;
  let variance: Float64Array;
  if (training) {
    ({mean, variance} = channelMoments(xVals, layout));
  } else {
    mean = Float64Array.from(valuesOf(backend, runningMean!));
    variance = Float64Array.from(valuesOf(backend, runningVar!));
  }
  const invStd = variance.map(v => 1 / Math.sqrt(v + epsilon));
  // dx = dyScale[c] * dy + xcScale[c] * (x - mean) + bias[c]; inference needs only dyScale.
  const dyScale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    dyScale[c] = gammaVals[c] * invStd[c];
  }
  const dx = new Float32Array(xVals.length);
  const sumDy = new Float64Array(channels);
  const sumDyXc = new Float64Array(channels);
  channelDySums(xVals, dyVals, layout, mean, sumDy, sumDyXc,
                training ? null : {scale: dyScale, out: dx});

  const dgamma = new Float32Array(channels);
  const dbeta = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    dgamma[c] = count > 0 ? sumDyXc[c] * invStd[c] : 0;
    dbeta[c] = sumDy[c];
  }
  const xcScale = new Float64Array(channels);
  const bias = new Float64Array(channels);
  if (training && count > 0) {
    for (let c = 0; c < channels; c++) {
      xcScale[c] = -dyScale[c] * invStd[c] * invStd[c] * sumDyXc[c] / count;
      bias[c] = -dyScale[c] * sumDy[c] / count;
    }
    channelGradient(dyVals, xVals, layout, mean, dyScale, xcScale, bias, dx);
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', dx),
    backend.makeTensorInfo([channels], 'float32', dgamma),
    backend.makeTensorInfo([channels], 'float32', dbeta),
  ];
}

export const MsBatchNormGradConfig = cpuKernelConfig(MsBatchNormGrad, msBatchNormGrad);
