// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormAttrs} from '../../kernel_names';
import {groupNormCall} from './GroupNorm';
import {SimdCall, SimdInputs} from './simd_call';

// Per (n, c) slice: GroupNorm with one channel per group.
export function simdInstanceNorm(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo {
  const {epsilon} = attrs as unknown as MsInstanceNormAttrs;
  return groupNormCall(call, inputs, inputs['x'].shape[1], epsilon);
}
