// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2NormalizeGradAttrs} from '../../kernel_names';
import {reducePlan} from '../cpu/reduce_plan';
import {l2BlockWidth, sliceMapAddress} from './L2Normalize';
import {SimdCall, SimdInputs} from './simd_call';

// dx = dy / d - x * sum(x * dy) / d^3, d = sqrt(max(sum x^2, eps)); dy / d where clamped.
export function simdL2NormalizeGrad(
    call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo {
  const {axis, epsilon} = attrs as unknown as MsL2NormalizeGradAttrs;
  const {x, dy} = inputs;
  const plan = reducePlan(x.shape, axis);
  const px = call.input(x);
  const pdy = call.input(dy);
  const dx = call.output(x.shape);
  if (plan.sliceOf != null) {
    const map = sliceMapAddress(call, plan);
    const scratch = call.scratch(plan.numSlices * 16);
    call.k.l2NormalizeGradSliced(px, pdy, dx, plan.sliceOf.length, map, plan.numSlices, epsilon,
                                 scratch);
  } else {
    const scratch = call.scratch(l2BlockWidth(plan) * 16);
    call.k.l2NormalizeGrad(px, pdy, dx, plan.outer, plan.reduce, plan.inner, epsilon, scratch);
  }
  return call.finish()[0];
}
