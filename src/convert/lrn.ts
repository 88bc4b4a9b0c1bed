// SPDX-License-Identifier: Apache-2.0
/**
 * LRN arguments between PyTorch's LocalResponseNorm and MindSpore's LRN.
 *
 *   PyTorch:   x[c] / (k + alpha/size * sum_{c' in [c - floor(size/2), c + floor((size-1)/2)]} x[c']^2)^beta
 *   MindSpore: x[c] / (bias + alpha * sum_{c' in [c - r, c + r]} x[c']^2)^beta
 *
 * (PyTorch zero-pads the channels and still divides by size, so at the edges
 * both sum over the channels that exist.) An odd size is the symmetric window
 * r = (size - 1) / 2 and converts exactly; an even size is asymmetric, one
 * channel more below c than above, and no MindSpore setting reproduces it.
 */
import {assertArg, assertFiniteNumber, assertNonNegativeInt, assertPositiveInt} from '../util/validation';
import {assertOptions} from '../util/option_keys';
import {EXACTNESS_KEYS, roundConverted} from './util';

export interface PyTorchLrnArgs {
  size: number;
  /** Default 1e-4. */
  alpha?: number;
  /** Default 0.75. */
  beta?: number;
  /** Default 1. */
  k?: number;
}

export interface MindSporeLrnArgs {
  /** Default 5. */
  depthRadius?: number;
  /** Default 1. */
  bias?: number;
  /** Default 1. */
  alpha?: number;
  /** Default 0.5. */
  beta?: number;
}

export interface Exactness {
  /** True when the converted arguments give the same outputs. */
  exact: boolean;
  /** Why, in a sentence or two. */
  reason: string;
}

export type LrnFromPyTorch = Required<MindSporeLrnArgs>&Exactness;
export type LrnToPyTorch = Required<PyTorchLrnArgs>&Exactness;

/**
 * PyTorch LocalResponseNorm(size, alpha, beta, k) -> MindSpore LRN arguments.
 * Odd size: exact (depthRadius = (size - 1) / 2, alpha / size). Even size: the
 * nearest setting, depthRadius = size / 2 (PyTorch's window plus the channel
 * c + size/2) with the same per-channel weight alpha / size, and exact false.
 */
export function fromPyTorch(args: PyTorchLrnArgs): LrnFromPyTorch {
  const owner = 'convert.lrn.fromPyTorch';
  assertOptions(owner, 'args', args, ['size', 'alpha', 'beta', 'k', ...EXACTNESS_KEYS]);
  const {size, alpha = 1e-4, beta = 0.75, k = 1} = args;
  assertPositiveInt(owner, 'size', size);
  assertFiniteNumber(owner, 'alpha', alpha);
  assertFiniteNumber(owner, 'beta', beta);
  assertFiniteNumber(owner, 'k', k);
  const common = {bias: k, alpha: roundConverted(alpha / size), beta};
  if (alpha !== 0 && common.alpha === 0) {
    return {
      depthRadius: Math.floor(size / 2), ...common, exact: false,
      reason: `alpha/size = ${alpha}/${size} underflows to 0 in float64: the converted LRN ` +
          `does not scale by the window at all.`,
    };
  }
  if (size % 2 === 1) {
    const r = (size - 1) / 2;
    return {
      depthRadius: r, ...common, exact: true,
      reason: `An odd size ${size} is the symmetric window [c-${r}, c+${r}], MindSpore's ` +
          `depthRadius ${r}; MindSpore does not divide alpha by the window size, so alpha/size.`,
    };
  }
  const below = size / 2;
  const above = size / 2 - 1;
  return {
    depthRadius: below, ...common, exact: false,
    reason: `PyTorch's window for an even size ${size} is asymmetric, [c-${below}, c+${above}]; ` +
        `MindSpore's is always symmetric, [c-r, c+r], so no depthRadius reproduces it. ` +
        `Nearest: depthRadius ${below} with alpha/size, whose window also holds channel ` +
        `c+${below}; outputs differ wherever that channel is non-zero.`,
  };
}

/**
 * MindSpore LRN(depthRadius, bias, alpha, beta) -> PyTorch LocalResponseNorm:
 * size = 2r + 1, alpha * size, beta, k = bias. Always exact.
 */
export function toPyTorch(args: MindSporeLrnArgs = {}): LrnToPyTorch {
  const owner = 'convert.lrn.toPyTorch';
  assertOptions(owner, 'args', args, ['depthRadius', 'bias', 'alpha', 'beta', ...EXACTNESS_KEYS]);
  const {depthRadius = 5, bias = 1, alpha = 1, beta = 0.5} = args;
  assertNonNegativeInt(owner, 'depthRadius', depthRadius);
  assertFiniteNumber(owner, 'bias', bias);
  assertFiniteNumber(owner, 'alpha', alpha);
  assertFiniteNumber(owner, 'beta', beta);
  const size = 2 * depthRadius + 1;
  assertArg(Number.isSafeInteger(size), owner, 'depthRadius', 'below 2^52', depthRadius);
  // PyTorch's alpha is alpha * size, which must stay finite for torchLocalResponseNorm.
  assertArg(Number.isFinite(alpha * size), owner, 'alpha',
      `a number whose product with size ${size} is finite`, alpha);
  return {
    size, alpha: roundConverted(alpha * size), beta, k: bias, exact: true,
    reason: `MindSpore's window [c-${depthRadius}, c+${depthRadius}] is PyTorch's odd size ` +
        `${size}; PyTorch divides alpha by size, so alpha*size.`,
  };
}
