// SPDX-License-Identifier: Apache-2.0
import {Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {batchNorm as msBatchNorm, BatchNormResult} from '../../ops/batch_norm';

/**
 * MindSpore's `mint.nn.functional.batch_norm(input, running_mean, running_var,
 * weight=None, bias=None, training=False, momentum=0.1, eps=1e-5)` (PyTorch's):
 * channels on axis 1; in training the batch statistics normalize and
 * `running = (1 - momentum) * running + momentum * batch` (unbiased batch
 * variance); in inference the running statistics normalize. tfjs tensors are
 * immutable, so the updated statistics are returned instead of written in
 * place: `{y, runningMean, runningVar}`, all owned by the caller (unchanged
 * copies in inference). Errors name `batchNorm`, the op it runs.
 */
export function batchNorm(
    input: Tensor|TensorLike, runningMean: Tensor|TensorLike, runningVar: Tensor|TensorLike,
    weight?: Tensor|TensorLike|null, bias?: Tensor|TensorLike|null, training = false,
    momentum = 0.1, eps = 1e-5): BatchNormResult {
  return msBatchNorm(input, runningMean, runningVar, weight, bias,
      {training, momentum, eps, varianceUpdate: 'unbiased'});
}
