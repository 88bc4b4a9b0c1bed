// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLayerNormAttrs} from '../../kernel_names';
import {layerNormLayout} from '../cpu/LayerNorm';
import {SimdCall, SimdInputs} from './simd_call';

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
  call.k.layerNorm(px, pg, pb, y, mean, variance, outer, blockSize, chunk, chunks, paramSize,
                   epsilon);
  return call.finish();
}
