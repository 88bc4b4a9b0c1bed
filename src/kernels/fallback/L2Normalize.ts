import {less, maximum, mul, pow, rsqrt, square, sub, sum, Tensor, where, zerosLike} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeGrad} from '../../kernel_names';
import {fallbackKernel, TensorInputs} from './fallback_util';

// out = x / sqrt(max(sum(x^2 over axis), epsilon)): epsilon clamps the sum of squares.
function l2Normalize(inputs: TensorInputs, attrs: unknown): Tensor {
  const {axis, epsilon} = attrs as MsL2NormalizeAttrs;
  const x = inputs['x']!;
  const sumSq = sum(square(x), axis, true);
  return mul(x, rsqrt(maximum(sumSq, epsilon)));
}

// dx = dy / d - x * sum(x * dy) / d^3, d = sqrt(max(sum x^2, eps)); dx = dy / d where clamped.
function l2NormalizeGrad(inputs: TensorInputs, attrs: unknown): Tensor {
  const {axis, epsilon} = attrs as MsL2NormalizeAttrs;
  const x = inputs['x']!;
  const dy = inputs['dy']!;
  const sumSq = sum(square(x), axis, true);
  const inv = rsqrt(maximum(sumSq, epsilon));
  const proj = mul(sum(mul(x, dy), axis, true), pow(inv, 3));
  const clampedProj = where(less(sumSq, epsilon), zerosLike(proj), proj);
  return sub(mul(dy, inv), mul(x, clampedProj));
}

export const msL2NormalizeFallback = fallbackKernel(MsL2Normalize, l2Normalize);
export const msL2NormalizeGradFallback = fallbackKernel(MsL2NormalizeGrad, l2NormalizeGrad);

