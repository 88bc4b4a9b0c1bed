// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLayerNormAttrs} from '../../kernel_names';
import {layerNormLayout} from '../cpu/LayerNorm';
import {SimdCall, SimdInputs} from './simd_call';

/**
 * gamma and beta up to this many values are promoted to float64 once per call
 * (32 KB each at most, within L1/L2 next to the rows), so the per-value loop
 * loads them without conversions.
 */
export const PROMOTED_PARAMS = 4096;

// Outputs [y, mean, variance] like mindspore.ops.LayerNorm.
export function simdLayerNorm(call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap):
    TensorInfo[] {
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs as unknown as MsLayerNormAttrs;
  const {x, gamma, beta} = inputs;
  const {outer, blockSize, chunk, chunks, paramSize} =
      layerNormLayout(x.shape, beginNormAxis, beginParamsAxis);
  const statsShape = x.shape.map((d, i) => (i < beginNormAxis ? d : 1));
  const px = call.input(x);
  const pg = call.input(gamma);
  const pb = call.input(beta);
  const y = call.output(x.shape);
  const mean = call.output(statsShape);
  const variance = call.output(statsShape);
  const scratch = chunks > 0 && paramSize <= PROMOTED_PARAMS ? call.scratch(paramSize * 16) : 0;
  call.k.layerNorm(px, pg, pb, y, mean, variance, outer, blockSize, chunk, chunks, paramSize,
                   epsilon, scratch);
  return call.finish();
}
