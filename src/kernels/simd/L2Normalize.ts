// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2NormalizeAttrs} from '../../kernel_names';
import {reducePlan, ReducePlan} from '../cpu/reduce_plan';
import {SimdCall, SimdInputs} from './simd_call';

/** Slices per block of the module's contiguous loop (wasm/assembly/l2_normalize.ts). */
export function l2BlockWidth(plan: ReducePlan): number {
  return Math.max(1, Math.min(plan.inner, Math.floor((1 << 16) / Math.max(plan.reduce, 1))));
}

/** Copies a plan's slice map into the module's memory. */
export function sliceMapAddress(call: SimdCall, plan: ReducePlan): number {
  const map = plan.sliceOf!;
  const address = call.scratch(map.length * 4);
  call.i32(address, map.length).set(map);
  return address;
}

// out = x / sqrt(max(sum(x^2 over axes), epsilon)).
export function simdL2Normalize(call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap):
    TensorInfo {
  const {axis, epsilon} = attrs as unknown as MsL2NormalizeAttrs;
  const x = inputs['x'];
  const plan = reducePlan(x.shape, axis);
  const px = call.input(x);
  const out = call.output(x.shape);
  if (plan.sliceOf != null) {
    const map = sliceMapAddress(call, plan);
    const scratch = call.scratch(plan.numSlices * 8);
    call.k.l2NormalizeSliced(px, out, plan.sliceOf.length, map, plan.numSlices, epsilon, scratch);
  } else {
    const scratch = call.scratch(l2BlockWidth(plan) * 8);
    call.k.l2Normalize(px, out, plan.outer, plan.reduce, plan.inner, epsilon, scratch);
  }
  return call.finish()[0];
}
