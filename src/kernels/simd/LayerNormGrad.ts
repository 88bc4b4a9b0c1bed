// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLayerNormGradAttrs} from '../../kernel_names';
import {layerNormLayout} from '../cpu/LayerNorm';
import {SimdCall, SimdInputs} from './simd_call';

// Outputs [dx, dgamma, dbeta]; dmean and dvariance are optional inputs.
export function simdLayerNormGrad(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[] {
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs as unknown as MsLayerNormGradAttrs;
  const {x, gamma, dy, dmean, dvariance} = inputs;
  const {outer, blockSize, chunk, chunks, paramSize} =
      layerNormLayout(x.shape, beginNormAxis, beginParamsAxis);
  const px = call.input(x);
  const pg = call.input(gamma);
  const pdy = call.input(dy);
  const pdm = dmean == null ? 0 : call.input(dmean);
  const pdv = dvariance == null ? 0 : call.input(dvariance);
  const dx = call.output(x.shape);
  const dgamma = call.output(gamma.shape);
  const dbeta = call.output(gamma.shape);
  const scratch = call.scratch(paramSize * 16);
  call.k.layerNormGrad(px, pg, pdy, pdm, dmean == null ? 0 : 1, pdv, dvariance == null ? 0 : 1,
                       dx, dgamma, dbeta, outer, blockSize, chunk, chunks, paramSize, epsilon,
                       scratch);
  return call.finish();
}
