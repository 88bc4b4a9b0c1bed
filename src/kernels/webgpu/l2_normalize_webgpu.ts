// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';
import {SliceLayout} from './slice_layout';

/**
 * out = x / sqrt(max(sum(x^2), epsilon)), `sums` lane 0 = sum(x^2) per
 * slice. The clamp is a select, not max(): WGSL's max may drop a NaN, and a
 * NaN must stay in its slice.
 */
export class L2NormalizeProgram extends ElementwiseProgram {
  constructor(private readonly layout: SliceLayout) {
    super('msL2Normalize', layout.shape, ['x', 'sums'], 'epsilon : f32,');
    this.shaderKey += `_${layout.key}`;
  }

  protected valueCode(): string {
    return `
      ${this.layout.slotOfFn()}
      fn value(i : i32) -> f32 {
        let sumSq = sums[slotOf(i) * 4];
        return x[i] * inverseSqrt(select(sumSq, uniforms.epsilon, sumSq < uniforms.epsilon));
      }
    `;
  }
}

/**
 * MindSpore L2NormalizeGrad, d = sqrt(max(sum x^2, eps)), `sums` lanes 0, 1
 * = sum(x^2), sum(x * dy): dx = dy / d - x * sum(x * dy) / d^3, and
 * dx = dy / d where the clamp is active (d is then a constant).
 */
export class L2NormalizeGradProgram extends ElementwiseProgram {
  constructor(private readonly layout: SliceLayout) {
    super('msL2NormalizeGrad', layout.shape, ['x', 'dy', 'sums'], 'epsilon : f32,');
    this.shaderKey += `_${layout.key}`;
  }

  protected valueCode(): string {
    return `
      ${this.layout.slotOfFn()}
      fn value(i : i32) -> f32 {
        let s = slotOf(i) * 4;
        let sumSq = sums[s];
        let clamped = sumSq < uniforms.epsilon;
        let inv = inverseSqrt(select(sumSq, uniforms.epsilon, clamped));
        let proj = select(sums[s + 1] * inv * inv * inv, 0.0, clamped);
        return dy[i] * inv - x[i] * proj;
      }
    `;
  }
}
