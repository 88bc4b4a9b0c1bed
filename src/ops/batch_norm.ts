// SPDX-License-Identifier: Apache-2.0
import {clone, NamedAttrMap, ones, op, Tensor, Tensor1D, TensorLike, zeros} from '@tensorflow/tfjs-core';

import {DataFormat, MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormInferenceInputs, MsBatchNormTraining, MsBatchNormTrainingAttrs, MsBatchNormTrainingInputs, VarianceUpdate} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {assertArg, assertInRange01, assertOneOf, assertPositive, assertRank, assertShape, toFloatTensor} from '../util/validation';
import {assertOptions} from '../util/option_keys';

const OP = 'batchNorm';

export interface BatchNormOptions {
  /** Normalize with the batch statistics and update the running ones. Default false. */
  training?: boolean;
  /** `new = (1 - momentum) * running + momentum * batch`; in [0, 1]. Default 0.1. */
  momentum?: number;
  /** Added to the variance; a finite number > 0. Default 1e-5. */
  eps?: number;
  /** 'NCHW' (channel axis 1, any rank >= 2, the default) or 'NHWC' (channel axis last). */
  dataFormat?: DataFormat;
  /** Batch variance fed to the running-variance update. Default 'unbiased'. */
  varianceUpdate?: VarianceUpdate;
}

/** `y` has the rank (type) of the op's input. */
export interface BatchNormResult<T extends Tensor = Tensor> {
  /** The normalized input. */
  y: T;
  /** Updated running mean in training; an unchanged copy in inference. */
  runningMean: Tensor1D;
  /** Updated running variance in training; an unchanged copy in inference. */
  runningVar: Tensor1D;
}

const OPTION_KEYS = ['training', 'momentum', 'eps', 'dataFormat', 'varianceUpdate'];

/**
 * MindSpore's `ops.batch_norm`, statistics per channel over all other axes:
 * `y = (x - mean) / sqrt(var + eps) * weight + bias`.
 *
 * In training, mean/var are the batch mean and BIASED batch variance, and the
 * running statistics are updated as `(1 - momentum) * running + momentum *
 * batch` (this op's momentum is `1 - momentum` of MindSpore's nn.BatchNorm
 * layers and equals PyTorch's); the variance update uses the unbiased batch
 * variance (`* M / (M - 1)`, M values per channel, as MindSpore's GPU kernel)
 * unless `varianceUpdate` is 'biased' (its CPU kernel). With M == 1 and
 * 'unbiased' the running variance is left unchanged (0/0 is undefined).
 * In inference, mean/var are the running statistics, which stay unchanged.
 *
 * The caller owns the three returned tensors (in inference, the running
 * statistics are fresh copies).
 *
 * @param x Input of rank >= 2 (float32), channel axis per `dataFormat`.
 * @param runningMean Shape [C].
 * @param runningVar Shape [C].
 * @param weight gamma, shape [C]; null or omitted means ones.
 * @param bias beta, shape [C]; null or omitted means zeros.
 */
function batchNorm_<T extends Tensor>(
    x: T|TensorLike, runningMean: Tensor|TensorLike, runningVar: Tensor|TensorLike,
    weight?: Tensor|TensorLike|null, bias?: Tensor|TensorLike|null,
    options: BatchNormOptions = {}): BatchNormResult<T> {
  const opts = checkOptions(options);
  const {training, momentum, eps, dataFormat, varianceUpdate} = opts;
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 2, 'of rank >= 2');
  const channels = ($x.shape as number[])[dataFormat === 'NHWC' ? $x.rank - 1 : 1];
  const param = (t: Tensor|TensorLike, arg: string) => {
    const $t = toFloatTensor(t, arg, OP);
    assertShape(OP, arg, $t, [channels]);
    return $t;
  };
  const $mean = param(runningMean, 'runningMean');
  const $var = param(runningVar, 'runningVar');
  const $gamma = weight == null ? ones([channels]) : param(weight, 'weight');
  const $beta = bias == null ? zeros([channels]) : param(bias, 'bias');

  if (training) {
    const inputs: MsBatchNormTrainingInputs =
        {x: $x, gamma: $gamma, beta: $beta, runningMean: $mean, runningVar: $var};
    const attrs: MsBatchNormTrainingAttrs = {momentum, epsilon: eps, dataFormat, varianceUpdate};
    const [y, newMean, newVar] = runMsKernel(
        MsBatchNormTraining, inputs as {}, attrs as unknown as NamedAttrMap) as [T, Tensor1D, Tensor1D];
    return {y, runningMean: newMean, runningVar: newVar};
  }
  const inputs: MsBatchNormInferenceInputs =
      {x: $x, gamma: $gamma, beta: $beta, runningMean: $mean, runningVar: $var};
  const attrs: MsBatchNormInferenceAttrs = {epsilon: eps, dataFormat};
  const y = runMsKernel(
      MsBatchNormInference, inputs as {}, attrs as unknown as NamedAttrMap) as T;
  return {y, runningMean: clone($mean as Tensor1D), runningVar: clone($var as Tensor1D)};
}

function checkOptions(options: BatchNormOptions|null|undefined): Required<BatchNormOptions> {
  const given = options ?? {};
  assertOptions(OP, 'options', given, OPTION_KEYS);
  const {training = false, momentum = 0.1, eps = 1e-5, dataFormat = 'NCHW',
         varianceUpdate = 'unbiased'} = given;
  assertArg(typeof training === 'boolean', OP, 'training', 'a boolean', training);
  assertInRange01(OP, 'momentum', momentum);
  assertPositive(OP, 'eps', eps);
  assertOneOf(OP, 'dataFormat', dataFormat, ['NCHW', 'NHWC']);
  assertOneOf(OP, 'varianceUpdate', varianceUpdate, ['unbiased', 'biased']);
  return {training, momentum, eps, dataFormat, varianceUpdate};
}

export const batchNorm = /* @__PURE__ */ op({batchNorm_});
