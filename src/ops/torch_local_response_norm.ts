import {add, addN, div, mul, op, pad, pow, scalar, slice, square, Tensor, TensorLike} from '@tensorflow/tfjs-core';

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
  const padding = $x.shape.map((): [number, number] => [0, 0]);
  padding[1] = [below, above];
  const squares = pad(square($x), padding);
  // Window sum as shifted slices: exact, where a running sum would carry
  // rounding from one channel to the next.
  const terms: Tensor[] = [];
  for (let i = 0; i <= below + above; i++) {
    // A fresh begin per slice: the Slice gradient keeps the array it was given.
    const begin = $x.shape.map((_, axis) => (axis === 1 ? i : 0));
    terms.push(slice(squares, begin, $x.shape as number[]));
  }
  const windowSum = terms.length === 1 ? terms[0] : addN(terms);
  const scale = pow(add(scalar(k), mul(scalar(alpha / size), windowSum)), scalar(beta));
  return div($x, scale) as T;
}

export const torchLocalResponseNorm = /* @__PURE__ */ op({torchLocalResponseNorm_});
