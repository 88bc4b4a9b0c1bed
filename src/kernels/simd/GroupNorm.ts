// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNormAttrs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {SimdCall, SimdInputs} from './simd_call';

// Per sample and group: (x - mean) / sqrt(biased var + eps) * gamma[c] + beta[c].
export function simdGroupNorm(call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap):
    TensorInfo {
  const {numGroups, epsilon} = attrs as unknown as MsGroupNormAttrs;
  return groupNormCall(call, inputs, numGroups, epsilon);
}

/** GroupNorm with `numGroups` groups; InstanceNorm is numGroups = C. */
export function groupNormCall(
    call: SimdCall, inputs: SimdInputs, numGroups: number, epsilon: number): TensorInfo {
  const {x, gamma, beta} = inputs;
  const [batch, channels] = x.shape;
  const px = call.input(x);
  const pg = call.input(gamma);
  const pb = call.input(beta);
  const out = call.output(x.shape);
  call.k.groupNorm(px, pg, pb, out, batch, channels, sizeOfDims(x.shape, 2), numGroups, epsilon);
  return call.finish()[0];
}
