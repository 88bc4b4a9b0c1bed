// SPDX-License-Identifier: Apache-2.0
import {abs, cast, customGrad, div, equal, GradSaveFunc, greater, max, maximum, mul, notEqual, onesLike, op, pow, scalar, sign, sqrt, square, sum, Tensor, TensorLike, where, zerosLike} from '@tensorflow/tfjs-core';

import {assertArg, assertRank, isFiniteNumber, normalizeAxes, toFloatTensor} from '../util/validation';

const OP = 'torchNormalize';

/**
 * Contrast op, not a MindSpore kernel: PyTorch's
 * `torch.nn.functional.normalize(x, p, dim, eps)` = `x / max(||x||_p, eps)`,
 * composed of tf ops so it runs (and differentiates) on any backend.
 *
 * It clamps the NORM with eps, where MindSpore's `l2Normalize` clamps the sum
 * of squares; with p = 2 the two agree exactly when l2Normalize gets
 * epsilon = eps^2 (see `convert.l2Normalize`). Note PyTorch's default dim is
 * 1, MindSpore's default axis 0.
 *
 * @param x Input tensor of rank >= 1 (float32).
 * @param p The norm's order: a number >= 0 or Infinity (p = 0 counts the
 *     non-zero entries, Infinity takes the largest magnitude).
 * @param dim An axis in [-rank, rank), or a list of axes reduced together.
 * @param eps Lower bound of the norm, a number >= 0.
 *
 * Differentiable: where the norm is below eps, the gradient is dy / eps (the
 * clamp holds the norm), as in PyTorch.
 */
function torchNormalize_<T extends Tensor>(
    x: T|TensorLike, p = 2, dim: number|number[] = 1, eps = 1e-12): T {
  assertArg(
      typeof p === 'number' && p >= 0 && !Number.isNaN(p), OP, 'p',
      'a number >= 0 or Infinity', p);
  assertArg(isFiniteNumber(eps) && eps >= 0, OP, 'eps', 'a finite number >= 0', eps);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r >= 1, 'of rank >= 1');
  const axes = normalizeAxes(OP, 'dim', dim, $x.rank);
  const norm = pNorm($x, p, axes);
  return div($x, maximum(norm, scalar(eps))) as T;
}

/**
 * ||x||_p over axes, kept as size-1 dims, with PyTorch's gradient: zero where
 * the norm is zero (the eps clamp then holds it), split evenly among ties for
 * p = Infinity, zero for p = 0 (a count).
 */
function pNorm(x: Tensor, p: number, axes: number[]): Tensor {
  const norm = customGrad((...args: Array<Tensor|GradSaveFunc>) => {
    const [input, save] = args as [Tensor, GradSaveFunc];
    const a = abs(input);
    const value = p === Infinity ? max(a, axes, true) :
        // where(), not cast(): tfjs-webgpu's cast of bool leaves an int buffer that
        // its transpose (inside sum over a middle axis) then fails to compile on.
        p === 0                  ? sum(where(notEqual(input, 0), onesLike(input), zerosLike(input)), axes, true) :
        p === 1                  ? sum(a, axes, true) :
        p === 2                  ? sqrt(sum(square(input), axes, true)) :
                                   pow(sum(pow(a, p), axes, true), 1 / p);
    save([input, value]);
    return {value, gradFunc: (dy: Tensor, [xs, n]: Tensor[]) => normGrad(dy, xs, n, p, axes)};
  });
  return norm(x);
}

function normGrad(dy: Tensor, x: Tensor, norm: Tensor, p: number, axes: number[]): Tensor {
  if (p === 0) {
    return zerosLike(x);
  }
  const zero = zerosLike(norm);
  if (p === Infinity) {
    const hit = cast(equal(abs(x), norm), 'float32');
    const ties = sum(hit, axes, true);
    return mul(mul(sign(x), hit), where(greater(norm, 0), div(dy, ties), zero));
  }
  // d||x||_p/dx = sign(x) |x|^(p-1) / ||x||_p^(p-1)
  const scale = where(greater(norm, 0), div(dy, pow(norm, p - 1)), zero);
  const weight = where(equal(x, 0), zerosLike(x), mul(sign(x), pow(abs(x), p - 1)));
  return mul(weight, scale);
}

export const torchNormalize = /* @__PURE__ */ op({torchNormalize_});
