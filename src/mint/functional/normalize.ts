// SPDX-License-Identifier: Apache-2.0
import {Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {torchNormalize} from '../../ops/torch_normalize';

/**
 * MindSpore's `mint.nn.functional.normalize(input, p=2.0, dim=1, eps=1e-12)`
 * (PyTorch's): `x / max(||x||_p over dim, eps)`; eps clamps the NORM, where
 * MindSpore's ops.L2Normalize clamps the sum of squares. Errors name
 * `torchNormalize`, the op it runs.
 */
export function normalize<T extends Tensor>(
    input: T|TensorLike, p = 2, dim: number|number[] = 1, eps = 1e-12): T {
  return torchNormalize(input, p, dim, eps);
}
