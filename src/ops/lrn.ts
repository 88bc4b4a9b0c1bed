// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, op, Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {assertFiniteNumber, assertNonNegativeInt, assertOneOf, assertRank, toFloatTensor} from '../util/validation';

const OP = 'lrn';

export type NormRegion = 'ACROSS_CHANNELS';

/**
 * MindSpore's `nn.LRN` / `ops.LRN` on NCHW input:
 * `x / (bias + alpha * sum_{c' in [c-r, c+r]} x[c']^2)^beta`.
 *
 * alpha is NOT divided by the window size (PyTorch's LocalResponseNorm divides
 * it by `size`); this is TensorFlow's formula applied to channels-first data.
 *
 * @param x Rank-4 NCHW input (float32).
 * @param depthRadius Half-width r of the channel window, an integer >= 0.
 * @param normRegion Only 'ACROSS_CHANNELS' exists in MindSpore.
 */
function lrn_<T extends Tensor>(
    x: T|TensorLike, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5,
    normRegion: NormRegion = 'ACROSS_CHANNELS'): T {
  assertNonNegativeInt(OP, 'depthRadius', depthRadius);
  assertFiniteNumber(OP, 'bias', bias);
  assertFiniteNumber(OP, 'alpha', alpha);
  assertFiniteNumber(OP, 'beta', beta);
  assertOneOf(OP, 'normRegion', normRegion, ['ACROSS_CHANNELS']);
  const $x = toFloatTensor(x, 'x', OP);
  assertRank(OP, 'x', $x, r => r === 4, 'of rank 4 (NCHW)');
  const inputs: MsLRNInputs = {x: $x};
  const attrs: MsLRNAttrs = {depthRadius, bias, alpha, beta};
  return runMsKernel(MsLRN, inputs as {}, attrs as unknown as NamedAttrMap) as T;
}

export const lrn = /* @__PURE__ */ op({lrn_});
