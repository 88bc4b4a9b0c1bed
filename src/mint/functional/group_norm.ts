// SPDX-License-Identifier: Apache-2.0
import {Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {groupNorm as msGroupNorm} from '../../ops/group_norm';

/**
 * MindSpore's `mint.nn.functional.group_norm(input, num_groups, weight=None,
 * bias=None, eps=1e-5)`: the MsGroupNorm kernel as it is (same formula and
 * argument order); weight/bias default to ones/zeros. Errors name `groupNorm`.
 */
export function groupNorm(
    input: Tensor|TensorLike, numGroups: number, weight?: Tensor|TensorLike|null,
    bias?: Tensor|TensorLike|null, eps = 1e-5): Tensor {
  return msGroupNorm(input, numGroups, weight, bias, eps);
}
