// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNormGradAttrs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {SimdCall, SimdInputs} from './simd_call';

// Outputs [dx, dgamma, dbeta]; statistics recomputed from x.
export function simdGroupNormGrad(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[] {
  const {numGroups, epsilon} = attrs as unknown as MsGroupNormGradAttrs;
  return groupNormGradCall(call, inputs, numGroups, epsilon);
}

/** GroupNorm's gradient with `numGroups` groups; InstanceNorm's is numGroups = C. */
export function groupNormGradCall(
    call: SimdCall, inputs: SimdInputs, numGroups: number, epsilon: number):
    TensorInfo[] {
  const {x, gamma, dy} = inputs;
  const [batch, channels] = x.shape;
  const perGroup = numGroups === 0 ? 0 : channels / numGroups;
  const px = call.input(x);
  const pg = call.input(gamma);
  const pdy = call.input(dy);
  const dx = call.output(x.shape);
  const dgamma = call.output([channels]);
  const dbeta = call.output([channels]);
  const scratch = call.scratch((2 * channels + 2 * perGroup) * 8);
  call.k.groupNormGrad(px, pg, pdy, dx, dgamma, dbeta, batch, channels, sizeOfDims(x.shape, 2),
                       numGroups, epsilon, scratch);
  return call.finish();
}
