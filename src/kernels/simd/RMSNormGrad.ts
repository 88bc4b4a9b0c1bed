// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {rmsNormRows} from '../cpu/RMSNorm';
import {SimdCall, SimdInputs} from './simd_call';

// dx = rstd * dy * gamma - x * rstd^3 * sum(dy * gamma * x) / M, dgamma = sum of dy * x * rstd.
// Outputs [dx, dgamma].
export function simdRMSNormGrad(call: SimdCall, inputs: SimdInputs, _attrs: NamedAttrMap):
    TensorInfo[] {
  const {dy, x, rstd, gamma} = inputs;
  const {rows, rowSize} = rmsNormRows(x.shape, gamma.shape.length);
  const pdy = call.input(dy);
  const px = call.input(x);
  const pr = call.input(rstd);
  const pg = call.input(gamma);
  const dx = call.output(x.shape);
  const dgamma = call.output(gamma.shape);
  const scratch = call.scratch(rowSize * 8);
  call.k.rmsNormGrad(pdy, px, pr, pg, dx, dgamma, rows, rowSize, scratch);
  return call.finish();
}
