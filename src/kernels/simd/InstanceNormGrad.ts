// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGradAttrs} from '../../kernel_names';
import {groupNormGradCall} from './GroupNormGrad';
import {SimdCall, SimdInputs} from './simd_call';

// Outputs [dx, dgamma, dbeta]: GroupNorm's gradient with one channel per group.
export function simdInstanceNormGrad(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[] {
  const {epsilon} = attrs as unknown as MsInstanceNormGradAttrs;
  return groupNormGradCall(call, inputs, inputs['x'].shape[1], epsilon);
}
