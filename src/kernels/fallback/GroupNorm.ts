// SPDX-License-Identifier: Apache-2.0
import {add, mul, reshape, rsqrt, sub, Tensor, zeros, zerosLike} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormAttrs, MsGroupNormGrad} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {emptySafeMean, emptySafeSum, fallbackKernel, TensorInputs} from './fallback_util';
import {centeredMoments} from './moments';

/** x (N, C, *) as [N, G, C / G * inner] and as [N, C, inner]. */
function views(x: Tensor, numGroups: number): {grouped: Tensor, byChannel: number[]} {
  const [n, c] = x.shape as [number, number];
  const inner = sizeOfDims(x.shape, 2);
  return {grouped: reshape(x, [n, numGroups, c / numGroups * inner]), byChannel: [n, c, inner]};
}

// Per sample and group: (x - mean) / sqrt(biased var + eps) * gamma[c] + beta[c].
export function groupNorm(inputs: TensorInputs, attrs: unknown): Tensor {
  const {numGroups, epsilon} = attrs as MsGroupNormAttrs;
  const x = inputs['x']!;
  const c = x.shape[1]!;
  // Nothing to normalize (also C = 0, where InstanceNorm's C / numGroups would be 0 / 0).
  if (x.size === 0) {
    return zerosLike(x);
  }
  const {grouped, byChannel} = views(x, numGroups);
  const {centered, variance} = centeredMoments(grouped, [2]);
  const xhat = reshape(mul(centered, rsqrt(add(variance, epsilon))), byChannel);
  const y =
      add(mul(xhat, reshape(inputs['gamma']!, [1, c, 1])), reshape(inputs['beta']!, [1, c, 1]));
  return reshape(y, x.shape);
}

// Per group, g = dy * gamma[c]: dx = rstd * (g - emptySafeMean(g) - xhat * emptySafeMean(g * xhat));
// dgamma = emptySafeSum(dy * xhat), dbeta = emptySafeSum(dy) over samples and positions.
export function groupNormGrad(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {numGroups, epsilon} = attrs as MsGroupNormAttrs;
  const x = inputs['x']!;
  const c = x.shape[1]!;
  if (x.size === 0) {
    return [zerosLike(x), zeros([c]), zeros([c])];
  }
  const {grouped, byChannel} = views(x, numGroups);
  const {centered, variance} = centeredMoments(grouped, [2]);
  const rstd = rsqrt(add(variance, epsilon));
  const xhatG = mul(centered, rstd);
  const dy3 = reshape(inputs['dy']!, byChannel);
  const g = reshape(mul(dy3, reshape(inputs['gamma']!, [1, c, 1])), grouped.shape);
  const dx = mul(rstd, sub(sub(g, emptySafeMean(g, 2, true)), mul(xhatG, emptySafeMean(mul(g, xhatG), 2, true))));
  const xhat = reshape(xhatG, byChannel);
  return [reshape(dx, x.shape), emptySafeSum(mul(dy3, xhat), [0, 2]), emptySafeSum(dy3, [0, 2])];
}

export const msGroupNormFallback = fallbackKernel(MsGroupNorm, groupNorm);
export const msGroupNormGradFallback = fallbackKernel(MsGroupNormGrad, groupNormGrad);
