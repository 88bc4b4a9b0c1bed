import {add, mul, reshape, rsqrt, sub, Tensor, zeros, zerosLike} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormGrad} from '../../kernel_names';
import {emptySafeMean, emptySafeSum, fallbackKernel, sizeOf, TensorInputs} from './fallback_util';
import {centeredMoments} from './moments';

/** x (N, C, *) as [N, C, L]: one slice per (n, c). */
function slices(x: Tensor): Tensor {
  return reshape(x, [x.shape[0]!, x.shape[1]!, sizeOf(x.shape, 2)]);
}

function perChannel(t: Tensor): Tensor {
  return reshape(t, [1, t.shape[0]!, 1]);
}

// Per (n, c) slice: (x - mean) / sqrt(biased var + eps) * gamma[c] + beta[c].
function instanceNorm(inputs: TensorInputs, attrs: unknown): Tensor {
  const {epsilon} = attrs as MsInstanceNormAttrs;
  const x = inputs['x']!;
  if (x.size === 0) {
    return zerosLike(x);
  }
  const {centered, variance} = centeredMoments(slices(x), [2]);
  const xhat = mul(centered, rsqrt(add(variance, epsilon)));
  const y = add(mul(xhat, perChannel(inputs['gamma']!)), perChannel(inputs['beta']!));
  return reshape(y, x.shape);
}

// dx = gamma[c] * rstd * (dy - emptySafeMean(dy) - xhat * emptySafeMean(dy * xhat)) per slice;
// dgamma = emptySafeSum(dy * xhat), dbeta = emptySafeSum(dy) over samples and positions.
function instanceNormGrad(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {epsilon} = attrs as MsInstanceNormAttrs;
  const x = inputs['x']!;
  const c = x.shape[1]!;
  if (x.size === 0) {
    return [zerosLike(x), zeros([c]), zeros([c])];
  }
  const {centered, variance} = centeredMoments(slices(x), [2]);
  const rstd = rsqrt(add(variance, epsilon));
  const xhat = mul(centered, rstd);
  const dy3 = slices(inputs['dy']!);
  const inner = sub(sub(dy3, emptySafeMean(dy3, 2, true)), mul(xhat, emptySafeMean(mul(dy3, xhat), 2, true)));
  const dx = mul(mul(perChannel(inputs['gamma']!), rstd), inner);
  return [reshape(dx, x.shape), emptySafeSum(mul(dy3, xhat), [0, 2]), emptySafeSum(dy3, [0, 2])];
}

export const msInstanceNormFallback = fallbackKernel(MsInstanceNorm, instanceNorm);
export const msInstanceNormGradFallback = fallbackKernel(MsInstanceNormGrad, instanceNormGrad);
