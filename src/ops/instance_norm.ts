// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, ones, op, Tensor, TensorLike, zeros} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {assertPositive, assertRank, assertShape, toFloatTensor} from '../util/validation';

const OP = 'instanceNorm';

/**
 * MindSpore's InstanceNorm1d/2d/3d computation on (N, C, *) input: every
 * (n, c) slice is normalized with its own mean and biased variance, in
 * training and inference alike (running statistics never enter):
 * `y = (x - mean_nc) / sqrt(var_nc + eps) * gamma[c] + beta[c]`.
 *
 * @param x Input of rank >= 3: (N, C, L), (N, C, H, W), (N, C, D, H, W), ...
 * @param gamma Per-channel scale of shape [C]; null/undefined means ones.
 * @param beta Per-channel offset of shape [C]; null/undefined means zeros.
 * @param eps Added to the variance; a finite number > 0.
 */
function instanceNorm_<T extends Tensor>(
    x: T|TensorLike, gamma?: Tensor|TensorLike|null, beta?: Tensor|TensorLike|null,
    eps = 1e-5): T {
  assertPositive(OP, 'eps', eps);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 3, 'of rank >= 3 (N, C, *)');
  const channels = ($x.shape as number[])[1];
  const $gamma = gamma == null ? ones([channels]) : toFloatTensor(gamma, 'gamma', OP);
  assertShape(OP, 'gamma', $gamma, [channels]);
  const $beta = beta == null ? zeros([channels]) : toFloatTensor(beta, 'beta', OP);
  assertShape(OP, 'beta', $beta, [channels]);
  const inputs: MsInstanceNormInputs = {x: $x, gamma: $gamma, beta: $beta};
  const attrs: MsInstanceNormAttrs = {epsilon: eps};
  return runMsKernel(
      MsInstanceNorm, inputs as {}, attrs as unknown as NamedAttrMap) as T;
}

export const instanceNorm = /* @__PURE__ */ op({instanceNorm_});
