// SPDX-License-Identifier: Apache-2.0
import {add, mul, pad, pow, reshape, slice, square, sub, Tensor} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNGrad} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {fallbackKernel, TensorInputs} from './fallback_util';

/**
 * sum over c' in [c - r, c + r] ∩ [0, C) of a[n, c', p] for a of shape
 * [N, C, P]: zero-pad the channel axis and add the 2r + 1 shifted slices.
 */
function channelWindowSum(a: Tensor, radius: number): Tensor {
  const [n, c, p] = a.shape as [number, number, number];
  const r = Math.min(radius, c - 1);  // a wider window sees no more channels
  if (r <= 0) {
    return a;
  }
  const padded = pad(a, [[0, 0], [r, r], [0, 0]]);
  let total = slice(padded, [0, 0, 0], [n, c, p]);
  for (let k = 1; k <= 2 * r; k++) {
    total = add(total, slice(padded, [0, k, 0], [n, c, p]));
  }
  return total;
}

/** x as [N, C, P] (P = product of the spatial dims). */
function asNCP(t: Tensor): Tensor {
  return reshape(t, [t.shape[0]!, t.shape[1]!, sizeOfDims(t.shape, 2)]);
}

// NCHW: out = x * (bias + alpha * window_sum(x^2))^-beta; alpha not divided by the window size.
function lrn(inputs: TensorInputs, attrs: unknown): Tensor {
  const {depthRadius, bias, alpha, beta} = attrs as MsLRNAttrs;
  const x = inputs['x']!;
  const x3 = asNCP(x);
  const s = add(bias, mul(alpha, channelWindowSum(square(x3), depthRadius)));
  return reshape(mul(x3, pow(s, -beta)), x.shape);
}

// dx = dy * s^-beta - 2 alpha beta x * window_sum(dy * x * s^(-beta-1)).
function lrnGrad(inputs: TensorInputs, attrs: unknown): Tensor {
  const {depthRadius, bias, alpha, beta} = attrs as MsLRNAttrs;
  const x = inputs['x']!;
  const x3 = asNCP(x);
  const dy3 = asNCP(inputs['dy']!);
  const s = add(bias, mul(alpha, channelWindowSum(square(x3), depthRadius)));
  const w = mul(mul(dy3, x3), pow(s, -beta - 1));
  const dx = sub(mul(dy3, pow(s, -beta)),
                 mul(2 * alpha * beta, mul(x3, channelWindowSum(w, depthRadius))));
  return reshape(dx, x.shape);
}

export const msLRNFallback = fallbackKernel(MsLRN, lrn);
export const msLRNGradFallback = fallbackKernel(MsLRNGrad, lrnGrad);
