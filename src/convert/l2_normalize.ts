// SPDX-License-Identifier: Apache-2.0
/**
 * MindSpore's L2Normalize against PyTorch's functional normalize:
 *
 *   PyTorch:   x / max(||x||_p, eps)            (clamps the norm)
 *   MindSpore: x / sqrt(max(sum x^2, epsilon))   (clamps the sum of squares)
 *
 * For p = 2, sqrt is increasing, so sqrt(max(||x||^2, eps^2)) = max(||x||, eps):
 * the two are the same function when epsilon = eps^2, whether or not the
 * clamp is active. Only the 2-norm exists in MindSpore.
 */
import {assertArg, assertPositive, isFiniteNumber, isInteger} from '../util/validation';
import {Exactness} from './lrn';
import {assertOptions} from '../util/option_keys';
import {EXACTNESS_KEYS, roundConverted} from './util';

export interface PyTorchNormalizeArgs {
  /** Default 2. */
  p?: number;
  /** Default 1 (MindSpore's default axis is 0). */
  dim?: number|number[];
  /** Default 1e-12. */
  eps?: number;
}

export interface MindSporeL2NormalizeArgs {
  /** Default 0. */
  axis?: number|number[];
  /** Default 1e-4. */
  epsilon?: number;
}

export type L2NormalizeFromPyTorch = Required<MindSporeL2NormalizeArgs>&Exactness;
export type L2NormalizeToPyTorch = Required<PyTorchNormalizeArgs>&Exactness;

/** float32's smallest normal number: the least epsilon MindSpore can hold without underflow. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

function checkAxis(owner: string, arg: string, axis: unknown): void {
  const ok = isInteger(axis) ||
      (Array.isArray(axis) && axis.length > 0 && axis.every(a => isInteger(a)));
  assertArg(ok, owner, arg, 'an integer or a non-empty list of integers', axis);
}

/**
 * PyTorch normalize(p, dim, eps) -> MindSpore l2Normalize(axis, epsilon):
 * axis = dim, epsilon = eps^2; exact for p = 2 and eps > 0.
 */
export function fromPyTorch(args: PyTorchNormalizeArgs = {}): L2NormalizeFromPyTorch {
  const owner = 'convert.l2Normalize.fromPyTorch';
  assertOptions(owner, 'args', args, ['p', 'dim', 'eps', ...EXACTNESS_KEYS]);
  const {p = 2, dim = 1, eps = 1e-12} = args;
  assertArg(typeof p === 'number' && p >= 0, owner, 'p', 'a number >= 0 or Infinity', p);
  checkAxis(owner, 'dim', dim);
  assertArg(isFiniteNumber(eps) && eps >= 0, owner, 'eps', 'a finite number >= 0', eps);
  // epsilon = eps^2 must be a finite number for l2Normalize to accept it.
  assertArg(Number.isFinite(eps * eps), owner, 'eps',
      `a number whose square is finite (below ${Math.sqrt(Number.MAX_VALUE)})`, eps);
  const axis = Array.isArray(dim) ? [...dim] : dim;
  if (p !== 2) {
    return {
      axis, epsilon: roundConverted(Math.max(eps * eps, FLOAT32_MIN_NORMAL)), exact: false,
      reason: `MindSpore's L2Normalize has only the 2-norm; p = ${p} has no equivalent ` +
          `(torchNormalize computes it). The returned arguments are those of p = 2.`,
    };
  }
  if (eps * eps === 0) {
    // eps = 0, or an eps whose square underflows even in float64 (eps < 1.5e-162).
    return {
      axis, epsilon: FLOAT32_MIN_NORMAL, exact: false,
      reason: `MindSpore requires epsilon > 0, so eps = ${eps} (eps^2 = 0: no clamp) has no exact ` +
          `equivalent; epsilon = ${FLOAT32_MIN_NORMAL} (float32's smallest normal) differs ` +
          `only where the sum of squares is below it (PyTorch then divides by a tiny or zero norm).`,
    };
  }
  return {
    axis, epsilon: roundConverted(eps * eps), exact: true,
    reason: `max(||x||, eps) = sqrt(max(||x||^2, eps^2)): PyTorch's clamp of the norm at eps ` +
        `is MindSpore's clamp of the sum of squares at eps^2.` +
        (eps * eps < FLOAT32_MIN_NORMAL ?
             ` (MindSpore itself keeps epsilon in float32, where ${eps}^2 underflows; this ` +
                 `package computes it in float64.)` :
             ''),
  };
}

/**
 * MindSpore l2Normalize(axis, epsilon) -> PyTorch normalize(p = 2, dim, eps):
 * dim = axis, eps = sqrt(epsilon). Always exact.
 */
export function toPyTorch(args: MindSporeL2NormalizeArgs = {}): L2NormalizeToPyTorch {
  const owner = 'convert.l2Normalize.toPyTorch';
  assertOptions(owner, 'args', args, ['axis', 'epsilon', ...EXACTNESS_KEYS]);
  const {axis = 0, epsilon = 1e-4} = args;
  checkAxis(owner, 'axis', axis);
  assertPositive(owner, 'epsilon', epsilon);
  return {
    p: 2, dim: Array.isArray(axis) ? [...axis] : axis, eps: roundConverted(Math.sqrt(epsilon)),
    exact: true,
    reason: `sqrt(max(sum x^2, epsilon)) = max(||x||_2, sqrt(epsilon)).`,
  };
}
