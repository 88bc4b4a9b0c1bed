// SPDX-License-Identifier: Apache-2.0
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import {SliceLayout} from './slice_layout';
import {planDispatch, reductionCode, ReductionPlan} from './workgroup_sum';

/** What a {@link SliceSumsProgram} sums. */
export interface SliceSumsSpec {
  /** Bound as f32 arrays, in the order of the inputs of runWebGPUProgram. */
  variableNames: string[];
  layout: SliceLayout;
  /**
   * Up to four WGSL f32 expressions summed over each slice. They see `slot`,
   * `r` (the element within the slice), `i` (its flat index) and whatever
   * the preludes declare.
   */
  terms: string[];
  /** WGSL run once per slice (e.g. reading its statistics); sees `slot`. */
  slicePrelude?: string;
  /** WGSL run per element before the terms; sees `slot`, `r`, `i`. */
  elementPrelude?: string;
  /** WGSL functions used by the snippets. */
  helpers?: string;
  /** Declarations of float uniforms (`name : f32,`) the snippets read as uniforms.name. */
  uniforms?: string;
  /** Distinguishes shaders whose snippets differ (the layout and terms are keyed already). */
  key: string;
}

/**
 * Sums of up to four terms over each slice: output [slices, 4] (unused
 * lanes 0), one workgroup per slice, f32 accumulation per thread and a
 * shared-memory tree reduction (or one thread per slice, for many short ones).
 */
export class SliceSumsProgram implements WebGPUProgram {
  variableNames: string[];
  variableComponents: number[];
  outputShape: number[];
  outputComponent = 4;
  shaderKey: string;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Declares uniforms.size: the number of slices. */
  size = true;
  uniforms?: string;

  constructor(private readonly spec: SliceSumsSpec, private readonly plan: ReductionPlan) {
    const {layout} = spec;
    this.variableNames = spec.variableNames;
    this.variableComponents = spec.variableNames.map(() => 1);
    this.outputShape = [layout.slices, 4];
    this.dispatchLayout = {x: [0, 1]};
    ({dispatch: this.dispatch, workgroupSize: this.workgroupSize} =
         planDispatch(plan, layout.slices));
    this.uniforms = spec.uniforms;
    this.shaderKey =
        `msSliceSums_${spec.key}_${layout.key}_${plan.threadPerSlice}_${plan.threads}`;
  }

  getUserCode(): string {
    const {layout, terms} = this.spec;
    const lanes = [0, 1, 2, 3].map(t => (t < terms.length ? `(${terms[t]})` : '0.0'));
    return `
      ${reductionCode(this.plan)}
      ${layout.elementIndexFn()}
      ${this.spec.helpers ?? ''}

      fn main(index : i32) {
        let slot = min(sliceIndex(index), ${layout.slices - 1});
        let inRange = sliceIndex(index) < uniforms.size;
        let tid = laneIndex();
        let count = select(0, ${layout.length}, inRange);
        ${this.spec.slicePrelude ?? ''}
        var acc = vec4<f32>(0.0);
        for (var r = tid; r < count; r += STRIDE) {
          let i = elementIndex(slot, r);
          ${this.spec.elementPrelude ?? ''}
          acc += vec4<f32>(${lanes.join(', ')});
        }
        let total = workgroupSum(acc);
        if (inRange && tid == 0) {
          result[slot] = total;
        }
      }
    `;
  }
}
