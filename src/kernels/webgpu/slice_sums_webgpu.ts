// SPDX-License-Identifier: Apache-2.0
import {SliceLayout} from './slice_layout';
import {reductionCode, ReductionPlan, SliceReductionProgram} from './workgroup_sum';

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
export class SliceSumsProgram extends SliceReductionProgram {
  variableNames: string[];

  constructor(private readonly spec: SliceSumsSpec, plan: ReductionPlan) {
    super(spec.layout, plan, spec.variableNames.map(() => 1), 'msSliceSums', spec.key);
    this.variableNames = spec.variableNames;
    this.uniforms = spec.uniforms;
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
