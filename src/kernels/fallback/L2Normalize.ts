// SPDX-License-Identifier: Apache-2.0
import {less, maximum, mul, pow, reshape, rsqrt, square, sub, Tensor, where, zerosLike} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeGrad} from '../../kernel_names';
import {reduceView} from '../../util/reduce_view';
import {emptySafeSum, fallbackKernel, TensorInputs} from './fallback_util';

// out = x / sqrt(max(sum(x^2 over axis), epsilon)): epsilon clamps the sum of squares.
function l2Normalize(inputs: TensorInputs, attrs: unknown): Tensor {
  const {epsilon} = attrs as MsL2NormalizeAttrs;
  const {shape, axes} = reduceView(inputs['x']!.shape, (attrs as MsL2NormalizeAttrs).axis);
  const x = reshape(inputs['x']!, shape);
  const sumSq = emptySafeSum(square(x), axes, true);
  return reshape(mul(x, rsqrt(maximum(sumSq, epsilon))), inputs['x']!.shape);
}

// dx = dy / d - x * sum(x * dy) / d^3, d = sqrt(max(sum x^2, eps)); dx = dy / d where clamped.
function l2NormalizeGrad(inputs: TensorInputs, attrs: unknown): Tensor {
  const {epsilon} = attrs as MsL2NormalizeAttrs;
  const {shape, axes} = reduceView(inputs['x']!.shape, (attrs as MsL2NormalizeAttrs).axis);
  const x = reshape(inputs['x']!, shape);
  const dy = reshape(inputs['dy']!, shape);
  const sumSq = emptySafeSum(square(x), axes, true);
  const inv = rsqrt(maximum(sumSq, epsilon));
  const proj = mul(emptySafeSum(mul(x, dy), axes, true), pow(inv, 3));
  const clampedProj = where(less(sumSq, epsilon), zerosLike(proj), proj);
  return reshape(sub(mul(dy, inv), mul(x, clampedProj)), inputs['x']!.shape);
}

export const msL2NormalizeFallback = fallbackKernel(MsL2Normalize, l2Normalize);
export const msL2NormalizeGradFallback = fallbackKernel(MsL2NormalizeGrad, l2NormalizeGrad);

