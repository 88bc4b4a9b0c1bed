// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNormAttrs} from '../../kernel_names';
import {rmsNormRows} from '../cpu/RMSNorm';
import {SimdCall, SimdInputs} from './simd_call';

// Per row of the last gamma.rank axes: rstd = 1 / sqrt(mean(x^2) + eps), y = x * rstd * gamma.
// Outputs [y, rstd].
export function simdRMSNorm(call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap):
    TensorInfo[] {
  const {epsilon} = attrs as unknown as MsRMSNormAttrs;
  const {x, gamma} = inputs;
  const {rows, rowSize, rstdShape} = rmsNormRows(x.shape, gamma.shape.length);
  const px = call.input(x);
  const pg = call.input(gamma);
  const y = call.output(x.shape);
  const rstd = call.output(rstdShape);
  call.k.rmsNorm(px, pg, y, rstd, rows, rowSize, epsilon);
  return call.finish();
}
