// SPDX-License-Identifier: Apache-2.0
import {add, addN, div, mul, op, pad, pow, reshape, scalar, slice, square, Tensor, TensorLike, util} from '@tensorflow/tfjs-core';

import {assertFiniteNumber, assertPositiveInt, assertRank, toFloatTensor} from '../util/validation';

const OP = 'torchLocalResponseNorm';

/**
 * Contrast op, not a MindSpore kernel: PyTorch's
 * `torch.nn.LocalResponseNorm(size, alpha, beta, k)` on (N, C, *) input,
 * composed of tf ops:
 *
 *     out[c] = x[c] / (k + alpha / size * sum_{c' in [c - floor(size/2), c + floor((size-1)/2)]} x[c']^2)^beta
 *
 * Unlike MindSpore's `lrn`, alpha is divided by `size` (zero-padded channels
 * count too), and for an even size the window is asymmetric: one channel more
 * below c than above it, which no MindSpore depth_radius reproduces (see
 * `convert.lrn`).
 *
 * @param x Input (N, C, *) of rank >= 3 (float32).
 * @param size Number of channels in the window, an integer >= 1.
 */
function torchLocalResponseNorm_<T extends Tensor>(
    x: T|TensorLike, size: number, alpha = 1e-4, beta = 0.75, k = 1): T {
  assertPositiveInt(OP, 'size', size);
  assertFiniteNumber(OP, 'alpha', alpha);
  assertFiniteNumber(OP, 'beta', beta);
  assertFiniteNumber(OP, 'k', k);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 3, 'of rank >= 3 (N, C, *)');
  // Channels beyond the C that exist add zeros: clip each side of the window
  // to C - 1, so the cost stays O(C) slices however large `size` is.
  const c = $x.shape[1]!;
  const below = Math.min(Math.floor(size / 2), Math.max(c - 1, 0));
  const above = Math.min(Math.floor((size - 1) / 2), Math.max(c - 1, 0));
  // As (N, C, rest): the same windows at rank 3 (tfjs-webgl's pad fails to
  // compile for rank 5).
  const shape3 = [$x.shape[0]!, c, util.sizeFromShape($x.shape.slice(2))];
  const x3 = reshape($x, shape3);
  const squares = pad(square(x3), [[0, 0], [below, above], [0, 0]]);
  // Window sum as shifted slices: exact, where a running sum would carry
  // rounding from one channel to the next.
  const terms: Tensor[] = [];
  for (let i = 0; i <= below + above; i++) {
    // A fresh begin per slice: the Slice gradient keeps the array it was given.
    terms.push(slice(squares, [0, i, 0], shape3));
  }
  const windowSum = addInChunks(terms);
  const scale = pow(add(scalar(k), mul(scalar(alpha / size), windowSum)), scalar(beta));
  return reshape(div(x3, scale), $x.shape) as T;
}

/**
 * tfjs-webgpu's AddN binds every input as a storage buffer, and an adapter
 * may allow only 8 per shader (SwiftShader: 9+ inputs fail validation and
 * read back zeros), so more terms are added in chunks of at most 7.
 */
const ADDN_MAX_INPUTS = 7;

function addInChunks(terms: Tensor[]): Tensor {
  let level = terms;
  while (level.length > 1) {
    const next: Tensor[] = [];
    for (let i = 0; i < level.length; i += ADDN_MAX_INPUTS) {
      const chunk = level.slice(i, i + ADDN_MAX_INPUTS);
      next.push(chunk.length === 1 ? chunk[0] : addN(chunk));
    }
    level = next;
  }
  return level[0];
}

export const torchLocalResponseNorm = /* @__PURE__ */ op({torchLocalResponseNorm_});
