// SPDX-License-Identifier: Apache-2.0
import {add, div, mul, reshape, rsqrt, sub, Tensor, zeros, zerosLike} from '@tensorflow/tfjs-core';

import {DataFormat, MsBatchNormGrad, MsBatchNormGradAttrs, MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormTraining, MsBatchNormTrainingAttrs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {emptySafeSum, fallbackKernel, TensorInputs} from './fallback_util';
import {centeredMoments} from './moments';

/** [outer, C, inner] for the data format; the channel statistics reduce axes 0 and 2. */
function channelShape(shape: number[], dataFormat: DataFormat): [number, number, number] {
  const axis = dataFormat === 'NHWC' ? shape.length - 1 : 1;
  return [sizeOfDims(shape, 0, axis), shape[axis]!, sizeOfDims(shape, axis + 1)];
}

function perChannel(t: Tensor, c: number): Tensor {
  return reshape(t, [1, c, 1]);
}

// y = (x - batch mean) / sqrt(biased batch var + eps) * gamma + beta;
// new = (1 - momentum) * running + momentum * batch (var * M / (M - 1) when 'unbiased').
// Outputs [y, newMean, newVar]; an empty batch leaves the running statistics,
// and with M == 1 'unbiased' leaves the running variance (0/0), as the CPU kernel.
function batchNormTraining(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {momentum, epsilon, dataFormat, varianceUpdate} = attrs as MsBatchNormTrainingAttrs;
  const x = inputs['x']!;
  const runningMean = inputs['runningMean']!;
  const runningVar = inputs['runningVar']!;
  const shape3 = channelShape(x.shape, dataFormat);
  const c = shape3[1];
  const count = shape3[0] * shape3[2];
  if (count === 0) {
    return [zerosLike(x), runningMean, runningVar];
  }
  const {mean, centered, variance} = centeredMoments(reshape(x, shape3), [0, 2]);
  const scale = mul(perChannel(inputs['gamma']!, c), rsqrt(add(variance, epsilon)));
  const y = reshape(add(mul(centered, scale), perChannel(inputs['beta']!, c)), x.shape);
  const newMean = add(mul(1 - momentum, runningMean), mul(momentum, reshape(mean, [c])));
  const updateVar = count > 1 || varianceUpdate === 'biased';
  const factor = varianceUpdate === 'unbiased' && count > 1 ? count / (count - 1) : 1;
  const newVar = updateVar ?
      add(mul(1 - momentum, runningVar), mul(momentum * factor, reshape(variance, [c]))) :
      runningVar;
  return [y, newMean, newVar];
}

// y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta.
function batchNormInference(inputs: TensorInputs, attrs: unknown): Tensor {
  const {epsilon, dataFormat} = attrs as MsBatchNormInferenceAttrs;
  const x = inputs['x']!;
  const shape3 = channelShape(x.shape, dataFormat);
  const c = shape3[1];
  const scale = mul(inputs['gamma']!, rsqrt(add(inputs['runningVar']!, epsilon)));
  const centered = sub(reshape(x, shape3), perChannel(inputs['runningMean']!, c));
  return reshape(add(mul(centered, perChannel(scale, c)), perChannel(inputs['beta']!, c)), x.shape);
}

// training: dx = gamma * rstd * (dy - emptySafeMean(dy) - xhat * emptySafeMean(dy * xhat)) with batch statistics;
// inference: dx = dy * gamma * rstd with the running ones.
// dgamma = emptySafeSum(dy * xhat), dbeta = emptySafeSum(dy).
function batchNormGrad(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {training, epsilon, dataFormat} = attrs as MsBatchNormGradAttrs;
  const x = inputs['x']!;
  const shape3 = channelShape(x.shape, dataFormat);
  const c = shape3[1];
  const count = shape3[0] * shape3[2];
  if (count === 0) {
    return [zerosLike(x), zeros([c]), zeros([c])];
  }
  const x3 = reshape(x, shape3);
  const dy3 = reshape(inputs['dy']!, shape3);
  let centered: Tensor;
  let variance: Tensor;
  if (training) {
    ({centered, variance} = centeredMoments(x3, [0, 2]));
  } else {
    centered = sub(x3, perChannel(inputs['runningMean']!, c));
    variance = perChannel(inputs['runningVar']!, c);
  }
  const rstd = rsqrt(add(variance, epsilon));
  const xhat = mul(centered, rstd);
  const sumDy = emptySafeSum(dy3, [0, 2], true);
  const sumDyXhat = emptySafeSum(mul(dy3, xhat), [0, 2], true);
  const scale = mul(perChannel(inputs['gamma']!, c), rstd);
  const dx = training ?
      mul(scale, sub(sub(dy3, div(sumDy, count)), mul(xhat, div(sumDyXhat, count)))) :
      mul(dy3, scale);
  return [reshape(dx, x.shape), reshape(sumDyXhat, [c]), reshape(sumDy, [c])];
}

export const msBatchNormTrainingFallback = fallbackKernel(MsBatchNormTraining, batchNormTraining);
export const msBatchNormInferenceFallback =
    fallbackKernel(MsBatchNormInference, batchNormInference);
export const msBatchNormGradFallback = fallbackKernel(MsBatchNormGrad, batchNormGrad);
