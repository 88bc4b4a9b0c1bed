// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, ones, op, Tensor, TensorLike, zeros} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormAttrs, MsGroupNormInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {argError, assertPositive, assertPositiveInt, assertRank, assertShape, toFloatTensor} from '../util/validation';

const OP = 'groupNorm';

/**
 * MindSpore's `ops.group_norm`: for each sample and each group of
 * `C / numGroups` consecutive channels,
 * `(x - mean) / sqrt(var + eps) * gamma[c] + beta[c]`, with the mean and
 * BIASED variance over the group's channels and all positions.
 *
 * @param x Input (N, C, *) of rank >= 2 (float32).
 * @param numGroups An integer >= 1 dividing C.
 * @param gamma Per-channel scale of shape [C]; null or omitted means ones.
 * @param beta Per-channel offset of shape [C]; null or omitted means zeros.
 * @param eps Added to the variance; a finite number > 0.
 */
function groupNorm_<T extends Tensor>(
    x: T|TensorLike, numGroups: number, gamma?: Tensor|TensorLike|null,
    beta?: Tensor|TensorLike|null, eps = 1e-5): T {
  assertPositiveInt(OP, 'numGroups', numGroups);
  assertPositive(OP, 'eps', eps);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 2, 'of rank >= 2 (N, C, *)');
  const channels = ($x.shape as number[])[1];
  if (channels % numGroups !== 0) {
    throw argError(
        OP, 'numGroups', `a divisor of the number of channels (${channels})`, numGroups);
  }
  const $gamma = gamma == null ? ones([channels]) : toFloatTensor(gamma, 'gamma', OP);
  assertShape(OP, 'gamma', $gamma, [channels]);
  const $beta = beta == null ? zeros([channels]) : toFloatTensor(beta, 'beta', OP);
  assertShape(OP, 'beta', $beta, [channels]);
  const inputs: MsGroupNormInputs = {x: $x, gamma: $gamma, beta: $beta};
  const attrs: MsGroupNormAttrs = {numGroups, epsilon: eps};
  return runMsKernel(
      MsGroupNorm, inputs as {}, attrs as unknown as NamedAttrMap) as T;
}

export const groupNorm = /* @__PURE__ */ op({groupNorm_});
