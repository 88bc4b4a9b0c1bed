// SPDX-License-Identifier: Apache-2.0
import {ones, op, Tensor, TensorLike, zeros} from '@tensorflow/tfjs-core';

import {layerNorm as msLayerNorm} from '../../ops/layer_norm';
import {argError, assertPositive, readNormalizedShape, toFloatTensor} from '../../util/validation';

const OP = 'mint.functional.layerNorm';

/**
 * MindSpore's `mint.nn.functional.layer_norm(input, normalized_shape, weight,
 * bias, eps=1e-5)` (PyTorch's): mean and biased variance over the trailing
 * normalizedShape dims, `y = (x - mean) / sqrt(var + eps) * weight + bias`.
 * Reuses the MsLayerNorm kernel with beginNormAxis = beginParamsAxis =
 * rank - normalizedShape.length.
 *
 * @param weight Shape normalizedShape; null or omitted means ones.
 * @param bias Shape normalizedShape; null or omitted means zeros.
 */
function layerNorm_(
    input: Tensor|TensorLike, normalizedShape: number|number[], weight?: Tensor|TensorLike|null,
    bias?: Tensor|TensorLike|null, eps = 1e-5): Tensor {
  const shape = readNormalizedShape(OP, normalizedShape);
  assertPositive(OP, 'eps', eps);
  const $x = toFloatTensor(input, 'input', OP);
  const begin = $x.rank - shape.length;
  if (begin < 0 || !shape.every((d, i) => $x.shape[begin + i] === d)) {
    throw argError(OP, 'normalizedShape',
        `the trailing dims of the input's shape [${$x.shape}]`, shape);
  }
  const $weight = weight == null ? ones(shape) : toFloatTensor(weight, 'weight', OP);
  const $bias = bias == null ? zeros(shape) : toFloatTensor(bias, 'bias', OP);
  const {y} = msLayerNorm($x, $weight, $bias,
      {beginNormAxis: begin, beginParamsAxis: begin, epsilon: eps});
  return y;
}

export const layerNorm = /* @__PURE__ */ op({layerNorm_});
