// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, op, Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormAttrs, MsLayerNormInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {assertArg, assertRank, assertShape, isFiniteNumber, isInteger, toFloatTensor} from '../util/validation';
import {assertOptions} from '../util/option_keys';

const OP = 'layerNorm';

export interface LayerNormOptions {
  /** First normalized axis, in [-1, rank); default 1 (mindspore.ops.LayerNorm). */
  beginNormAxis?: number;
  /** First axis of gamma/beta's shape, in [-1, rank); default 1. */
  beginParamsAxis?: number;
  /** Added to the variance; default 1e-7 (PyTorch: 1e-5, tfjs layers: 1e-3). */
  epsilon?: number;
}

/** All three have the rank (type) of the op's input. */
export interface LayerNormResult<T extends Tensor = Tensor> {
  y: T;
  /** Mean over the normalized axes, shape x.shape[:bna] + [1, ...]. */
  mean: T;
  /** Biased variance over the normalized axes, same shape as mean. */
  variance: T;
}

const OPTION_KEYS = ['beginNormAxis', 'beginParamsAxis', 'epsilon'];

/**
 * MindSpore's `ops.LayerNorm(begin_norm_axis, begin_params_axis, epsilon)`:
 * `y = (x - mean) / sqrt(var + epsilon) * gamma + beta`, with mean and biased
 * var over axes [beginNormAxis, rank) and gamma/beta of shape
 * x.shape[beginParamsAxis:]. The two axes are independent.
 *
 * Returns y together with the statistics, like MindSpore's three outputs;
 * the caller owns all three tensors. Gradients flow to x, gamma and beta from
 * y and also from mean and variance.
 *
 * @param x Input of rank >= 1 (float32).
 * @param gamma Scale, of shape x.shape[beginParamsAxis:].
 * @param beta Offset, of shape x.shape[beginParamsAxis:].
 */
function layerNorm_<T extends Tensor>(
    x: T|TensorLike, gamma: Tensor|TensorLike, beta: Tensor|TensorLike,
    options: LayerNormOptions = {}): LayerNormResult<T> {
  assertOptions(OP, 'options', options, OPTION_KEYS);
  const {beginNormAxis = 1, beginParamsAxis = 1, epsilon = 1e-7} = options;
  assertArg(isFiniteNumber(epsilon) && epsilon >= 0, OP, 'epsilon', 'a finite number >= 0',
      epsilon);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 1, 'of rank >= 1');
  const attrs: MsLayerNormAttrs = {
    beginNormAxis: beginAxis('beginNormAxis', beginNormAxis, $x.rank),
    beginParamsAxis: beginAxis('beginParamsAxis', beginParamsAxis, $x.rank),
    epsilon,
  };
  const paramShape = $x.shape.slice(attrs.beginParamsAxis);
  const $gamma = toFloatTensor(gamma, 'gamma', OP);
  assertShape(OP, 'gamma', $gamma, paramShape);
  const $beta = toFloatTensor(beta, 'beta', OP);
  assertShape(OP, 'beta', $beta, paramShape);
  const inputs: MsLayerNormInputs = {x: $x, gamma: $gamma, beta: $beta};
  const [y, mean, variance] = runMsKernel(
      MsLayerNorm, inputs as {}, attrs as unknown as NamedAttrMap) as [T, T, T];
  return {y, mean, variance};
}

/** MindSpore's rule: an integer in [-1, rank); -1 means the last axis. */
function beginAxis(arg: string, axis: unknown, rank: number): number {
  assertArg(isInteger(axis) && axis >= -1 && axis < rank, OP, arg,
      `an integer in the range [-1, ${rank})`, axis);
  return (axis as number) < 0 ? rank - 1 : axis as number;
}

export const layerNorm = /* @__PURE__ */ op({layerNorm_});
