// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLRNGradAttrs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {windowTile} from '../cpu/window_sum';
import {SimdCall, SimdInputs} from './simd_call';

// dx[c] = dy[c] s[c]^-beta - 2 alpha beta x[c] sum_{|c'-c|<=r} dy[c'] x[c'] s[c']^(-beta-1).
export function simdLRNGrad(call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap):
    TensorInfo {
  const {depthRadius, bias, alpha, beta} = attrs as unknown as MsLRNGradAttrs;
  const {x, dy} = inputs;
  const [batch, channels] = x.shape;
  // A radius beyond C - 1 gives the same windows (all channels).
  const radius = Math.max(0, Math.min(depthRadius, channels - 1));
  const plane = sizeOfDims(x.shape, 2);
  const ringRows = Math.min(2 * radius + 2, channels);
  const px = call.input(x);
  const pdy = call.input(dy);
  const dx = call.output(x.shape);
  const tile = windowTile(channels, plane);
  const scratch = call.scratch((2 + 2 * ringRows) * tile * 8);
  call.k.lrnGrad(px, pdy, dx, batch, channels, plane, radius, bias, alpha, beta, tile, scratch);
  return call.finish()[0];
}
