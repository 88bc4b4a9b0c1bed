// SPDX-License-Identifier: Apache-2.0
import {add, fill, mean, mul, reshape, rsqrt, square, sub, sum, Tensor, zerosLike} from '@tensorflow/tfjs-core';

import {MsRMSNorm, MsRMSNormAttrs, MsRMSNormGrad} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {fallbackKernel, TensorInputs} from './fallback_util';

/** x as [rows, gamma.size] (the last gamma.rank axes form a row). */
function rows(x: Tensor, gamma: Tensor): Tensor {
  const rowSize = gamma.size;
  return reshape(x, [sizeOfDims(x.shape, 0, x.rank - gamma.rank), rowSize]);
}

function rstdShape(x: Tensor, gamma: Tensor): number[] {
  return x.shape.map((d, i) => (i < x.rank - gamma.rank ? d : 1));
}

// rstd = 1 / sqrt(mean(x^2 over the last gamma.rank axes) + eps), y = x * rstd * gamma.
function rmsNorm(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {epsilon} = attrs as MsRMSNormAttrs;
  const x = inputs['x']!;
  const gamma = inputs['gamma']!;
  if (gamma.size === 0) {
    // The mean square of an empty row is 0/0 (as the native kernels); tf.mean gives 0.
    return [zerosLike(x), fill(rstdShape(x, gamma), NaN)];
  }
  const rstd = rsqrt(add(mean(square(rows(x, gamma)), 1, true), epsilon));
  const y = mul(mul(rows(x, gamma), rstd), reshape(gamma, [1, gamma.size]));
  return [reshape(y, x.shape), reshape(rstd, rstdShape(x, gamma))];
}

// dx = rstd * dy * gamma - x * rstd^3 * mean(dy * gamma * x); dgamma = sum over rows of dy * x * rstd.
function rmsNormGrad(inputs: TensorInputs): Tensor[] {
  const x = inputs['x']!;
  const gamma = inputs['gamma']!;
  const x2 = rows(x, gamma);
  const dy2 = rows(inputs['dy']!, gamma);
  const rstd = reshape(inputs['rstd']!, [x2.shape[0], 1]);
  const g = reshape(gamma, [1, gamma.size]);
  const dyg = mul(dy2, g);
  const k = mul(mul(square(rstd), rstd), mean(mul(dyg, x2), 1, true));
  const dx = sub(mul(rstd, dyg), mul(x2, k));
  const dgamma = sum(mul(mul(dy2, x2), rstd), 0);
  return [reshape(dx, x.shape), reshape(dgamma, gamma.shape)];
}

export const msRMSNormFallback = fallbackKernel(MsRMSNorm, rmsNorm);
export const msRMSNormGradFallback = fallbackKernel(MsRMSNormGrad, rmsNormGrad);
