// SPDX-License-Identifier: Apache-2.0
import {add, div, mul, reshape, rsqrt, sub, Tensor, zeros, zerosLike} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormAttrs, MsLayerNormGrad} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {emptySafeMean, emptySafeSum, fallbackKernel, range, TensorInputs} from './fallback_util';
import {centeredMoments} from './moments';

/** x as [outer, block]: rows normalized together, axes [beginNormAxis, rank). */
function rows(x: Tensor, beginNormAxis: number): Tensor {
  return reshape(x, [sizeOfDims(x.shape, 0, beginNormAxis), sizeOfDims(x.shape, beginNormAxis)]);
}

function statsShape(shape: number[], beginNormAxis: number): number[] {
  return shape.map((d, i) => (i < beginNormAxis ? d : 1));
}

// y = (x - mean) / sqrt(biased var + eps) * gamma + beta, statistics over
// [bna, rank), gamma/beta of shape x.shape[bpa:] (trailing, so they broadcast).
// Outputs [y, mean, variance] with the statistics kept as size-1 dims.
function layerNorm(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {beginNormAxis, epsilon} = attrs as MsLayerNormAttrs;
  const x = inputs['x']!;
  const {mean: m, centered, variance} = centeredMoments(rows(x, beginNormAxis), [1]);
  const xhat = reshape(mul(centered, rsqrt(add(variance, epsilon))), x.shape);
  const y = add(mul(xhat, inputs['gamma']!), inputs['beta']!);
  const stats = statsShape(x.shape, beginNormAxis);
  return [y, reshape(m, stats), reshape(variance, stats)];
}

// g = dy * gamma: dx = rstd * (g - emptySafeMean(g) - xhat * emptySafeMean(g * xhat)) + dmean / M
// + 2 dvariance (x - mean) / M per row of M values; dgamma = emptySafeSum(dy * xhat) and
// dbeta = emptySafeSum(dy) over the axes before beginParamsAxis.
function layerNormGrad(inputs: TensorInputs, attrs: unknown): Tensor[] {
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs as MsLayerNormAttrs;
  const x = inputs['x']!;
  const gamma = inputs['gamma']!;
  const dy = inputs['dy']!;
  if (x.size === 0) {
    return [zerosLike(x), zeros(gamma.shape), zeros(gamma.shape)];
  }
  const {centered, variance} = centeredMoments(rows(x, beginNormAxis), [1]);
  const rstd = rsqrt(add(variance, epsilon));
  const xhat2 = mul(centered, rstd);
  const [outer, block] = centered.shape as [number, number];
  const g = rows(mul(dy, gamma), beginNormAxis);
  let dx = mul(rstd, sub(sub(g, emptySafeMean(g, 1, true)), mul(xhat2, emptySafeMean(mul(g, xhat2), 1, true))));
  const column = (t: Tensor) => reshape(t, [outer, 1]);
  if (inputs['dmean'] != null) {
    dx = add(dx, div(column(inputs['dmean']), block));
  }
  if (inputs['dvariance'] != null) {
    dx = add(dx, mul(div(mul(2, column(inputs['dvariance'])), block), centered));
  }
  const xhat = reshape(xhat2, x.shape);
  const paramAxes = range(0, beginParamsAxis);
  const reduce = (t: Tensor) => paramAxes.length === 0 ? t : emptySafeSum(t, paramAxes);
  return [reshape(dx, x.shape), reshape(reduce(mul(dy, xhat)), gamma.shape),
          reshape(reduce(dy), gamma.shape)];
}

export const msLayerNormFallback = fallbackKernel(MsLayerNorm, layerNorm);
export const msLayerNormGradFallback = fallbackKernel(MsLayerNormGrad, layerNormGrad);
