// SPDX-License-Identifier: Apache-2.0
import {SliceLayout} from './slice_layout';
import {reductionCode, ReductionPlan, SliceReductionProgram} from './workgroup_sum';

/** Lanes of a statistics row ([slices, 4]) written by MomentsProgram. */
export const STAT_SHIFT = 0;
export const STAT_MEAN = 1;
export const STAT_VARIANCE = 2;
export const STAT_INV_STD = 3;

/**
 * Per slice of x: [shift, mean - shift, biased variance, 1 / sqrt(var + epsilon)],
 * one workgroup per slice (or one thread, for many short slices). float32 stays exact on data with a large mean
 * (1e4 + unit noise: a plain float32 sum puts the mean off by ~1e-3 of the
 * deviation) because the sums run around a shift, the slice's first element:
 * x - shift is exact there, so the centred value of an element is
 * (x - shift) - (mean - shift), never x - mean with a rounded mean.
 * Two sweeps: sum(x - shift), then sum of squared deviations. Contiguous
 * slices of a length divisible by 4 are read as vec4.
 */
export class MomentsProgram extends SliceReductionProgram {
  variableNames = ['x'];
  uniforms = 'epsilon : f32,';
  private readonly vec4: boolean;

  constructor(layout: SliceLayout, plan: ReductionPlan) {
    const vec4 = layout.contiguous && layout.length % 4 === 0;
    super(layout, plan, [vec4 ? 4 : 1], 'msMoments', String(vec4));
    this.vec4 = vec4;
  }

  getUserCode(): string {
    const {slices, length} = this.layout;
    const sweep = (body: string) => this.vec4 ?
        `for (var r = tid; r < count4; r += STRIDE) {
          let v = x[base4 + r] - vec4<f32>(shift);
          ${body}
        }` :
        `for (var r = tid; r < count; r += STRIDE) {
          let v = x[elementIndex(slot, r)] - shift;
          ${body}
        }`;
    return `
      ${reductionCode(this.plan)}
      ${this.layout.elementIndexFn()}

      fn main(index : i32) {
        let slot = min(sliceIndex(index), ${slices - 1});
        let inRange = sliceIndex(index) < uniforms.size;
        let tid = laneIndex();
        let count = select(0, ${length}, inRange);
        let count4 = count / 4;
        let base4 = slot * ${Math.floor(length / 4)};
        let shift = ${this.vec4 ? 'x[base4].x' : 'x[elementIndex(slot, 0)]'};

        var acc = ${this.vec4 ? 'vec4<f32>(0.0)' : '0.0'};
        ${sweep('acc += v;')}
        let mean = dot(workgroupSum(vec4<f32>(${this.vec4 ? 'acc' : 'acc, 0.0, 0.0, 0.0'})),
                       vec4<f32>(1.0)) / ${length}.0;

        var sq = ${this.vec4 ? 'vec4<f32>(0.0)' : '0.0'};
        ${sweep('let d = v - mean; sq += d * d;')}
        let variance = dot(workgroupSum(vec4<f32>(${this.vec4 ? 'sq' : 'sq, 0.0, 0.0, 0.0'})),
                           vec4<f32>(1.0)) / ${length}.0;
        if (inRange && tid == 0) {
          result[slot] = vec4<f32>(shift, mean, variance, inverseSqrt(variance + uniforms.epsilon));
        }
      }
    `;
  }
}

/**
 * WGSL helpers over a statistics input named `stats` (MomentsProgram's
 * output, bound as f32): the centred value of x in slice s, and its 1/std.
 */
export const STATS_HELPERS = `
  fn centred(xv : f32, s : i32) -> f32 {
    return (xv - stats[s * 4 + ${STAT_SHIFT}]) - stats[s * 4 + ${STAT_MEAN}];
  }
  fn invStdOf(s : i32) -> f32 {
    return stats[s * 4 + ${STAT_INV_STD}];
  }
`;
