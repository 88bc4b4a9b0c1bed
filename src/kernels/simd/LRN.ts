// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLRNAttrs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {windowTile} from '../cpu/window_sum';
import {SimdCall, SimdInputs} from './simd_call';

// NCHW: out = x / (bias + alpha * sum_{|c'-c|<=r} x[c']^2)^beta.
export function simdLRN(call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap):
    TensorInfo {
  const {depthRadius, bias, alpha, beta} = attrs as unknown as MsLRNAttrs;
  const x = inputs['x'];
  const [batch, channels] = x.shape;
  // A radius beyond C - 1 gives the same windows (and must fit the module's int32).
  const radius = Math.max(0, Math.min(depthRadius, channels - 1));
  const plane = sizeOfDims(x.shape, 2);
  const px = call.input(x);
  const out = call.output(x.shape);
  const tile = windowTile(channels, plane);
  const scratch = call.scratch(tile * 8);
  call.k.lrn(px, out, batch, channels, plane, radius, bias, alpha, beta, tile, scratch);
  return call.finish()[0];
}
