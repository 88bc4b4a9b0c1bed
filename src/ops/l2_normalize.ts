// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, op, Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {assertPositive, assertRank, normalizeAxes, toFloatTensor} from '../util/validation';

const OP = 'l2Normalize';

/**
 * MindSpore's `ops.L2Normalize`: `x / sqrt(max(sum(x^2 over axis), epsilon))`.
 *
 * Unlike PyTorch's `normalize` (which clamps the norm), epsilon clamps the sum
 * of squares before the square root, and the default axis is 0.
 *
 * @param x Input tensor of rank >= 1 (float32).
 * @param axis An axis in [-rank, rank), or a list of axes normalized together.
 * @param epsilon Lower bound of the sum of squares; must be > 0.
 */
function l2Normalize_<T extends Tensor>(
    x: T|TensorLike, axis: number|number[] = 0, epsilon = 1e-4): T {
  assertPositive(OP, 'epsilon', epsilon);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 1, 'of rank >= 1');
  const attrs: MsL2NormalizeAttrs = {axis: normalizeAxes(OP, 'axis', axis, $x.rank), epsilon};
  const inputs: MsL2NormalizeInputs = {x: $x};
  return runMsKernel(
      MsL2Normalize, inputs as {}, attrs as unknown as NamedAttrMap) as T;
}

export const l2Normalize = /* @__PURE__ */ op({l2Normalize_});
