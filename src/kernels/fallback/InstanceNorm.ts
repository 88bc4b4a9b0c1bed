// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap} from '@tensorflow/tfjs-core';

import {MsGroupNormAttrs, MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormGrad} from '../../kernel_names';
import {fallbackKernel, TensorInputs} from './fallback_util';
import {groupNorm, groupNormGrad} from './GroupNorm';

// InstanceNorm normalizes each (n, c) slice: GroupNorm with one channel per group.
function asGroupNorm(inputs: TensorInputs, attrs: NamedAttrMap): NamedAttrMap {
  const {epsilon} = attrs as unknown as MsInstanceNormAttrs;
  const groupAttrs: MsGroupNormAttrs = {numGroups: inputs['x']!.shape[1]!, epsilon};
  return groupAttrs as unknown as NamedAttrMap;
}

export const msInstanceNormFallback = fallbackKernel(
    MsInstanceNorm, (inputs, attrs) => groupNorm(inputs, asGroupNorm(inputs, attrs)));
export const msInstanceNormGradFallback = fallbackKernel(
    MsInstanceNormGrad, (inputs, attrs) => groupNormGrad(inputs, asGroupNorm(inputs, attrs)));
