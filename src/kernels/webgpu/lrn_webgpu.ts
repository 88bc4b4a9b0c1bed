// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';
import {sizesKey} from './webgpu_util';

/** Sizes of LRN's NCHW input viewed as [N, C, positions]. */
export interface LRNShape {
  channels: number;
  positions: number;
  depthRadius: number;
}

/** WGSL for s^-beta (uniforms.beta), with the common exponents spelled out. */
export function powNegBeta(s: string, beta: number): string {
  switch (beta) {
    case 0:
      return '1.0';
    case 0.5:
      return `inverseSqrt(${s})`;
    case 0.75:
      return `(inverseSqrt(${s}) * sqrt(inverseSqrt(${s})))`;
    case 1:
      return `(1.0 / ${s})`;
    default:
      return `pow(${s}, -uniforms.beta)`;
  }
}

/**
 * WGSL `fn windowSum(i: i32) -> f32`: the sum of `term(j)` over the flat
 * indices j of channels [c - r, c + r] ∩ [0, C) at element i's position.
 */
function windowSumFn(s: LRNShape, term: (j: string) => string): string {
  const {channels, positions, depthRadius} = s;
  return `
    fn windowSum(i : i32) -> f32 {
      let c = (i / ${positions}) % ${channels};
      let first = max(c - ${depthRadius}, 0);
      let last = min(c + ${depthRadius}, ${channels - 1});
      var j = i + (first - c) * ${positions};
      var sum = 0.0;
      for (var cc = first; cc <= last; cc++) {
        sum += ${term('j')};
        j += ${positions};
      }
      return sum;
    }
  `;
}

/** MindSpore LRN: out = x / (bias + alpha * sum_{|c'-c|<=r} x[c']^2)^beta. */
export class LRNProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly s: LRNShape, private readonly beta: number) {
    super('msLRN', shape, ['x'], 'bias : f32, alpha : f32, beta : f32,');
    this.shaderKey += `_${sizesKey(s)}_${beta}`;
  }

  protected valueCode(): string {
    return `
      ${windowSumFn(this.s, j => `x[${j}] * x[${j}]`)}
      fn value(i : i32) -> f32 {
        let s = uniforms.bias + uniforms.alpha * windowSum(i);
        return x[i] * ${powNegBeta('s', this.beta)};
      }
    `;
  }
}

/** LRNGrad's first pass: s = bias + alpha * sum_{|c'-c|<=r} x[c']^2. */
export class LRNScaleProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly s: LRNShape) {
    super('msLRNScale', shape, ['x'], 'bias : f32, alpha : f32,');
    this.shaderKey += `_${sizesKey(s)}`;
  }

  protected valueCode(): string {
    return `
      ${windowSumFn(this.s, j => `x[${j}] * x[${j}]`)}
      fn value(i : i32) -> f32 {
        return uniforms.bias + uniforms.alpha * windowSum(i);
      }
    `;
  }
}

/** LRNGrad's per-element factor t = dy * x * s^(-beta-1). */
export class LRNGradTermProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly beta: number) {
    super('msLRNGradTerm', shape, ['x', 'dy', 'scale'], 'beta : f32,');
    this.shaderKey += `_${beta}`;
  }

  protected valueCode(): string {
    return `
      fn value(i : i32) -> f32 {
        let s = scale[i];
        return x[i] * dy[i] * ${powNegBeta('s', this.beta)} / s;
      }
    `;
  }
}

/**
 * MindSpore LRNGrad: dx[c] = dy[c] * s[c]^-beta
 *   - 2 * alpha * beta * x[c] * sum_{|c'-c|<=r} t[c'].
 */
export class LRNGradProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly s: LRNShape, private readonly beta: number) {
    super('msLRNGrad', shape, ['x', 'dy', 'scale', 'term'], 'alpha : f32, beta : f32,');
    this.shaderKey += `_${sizesKey(s)}_${beta}`;
  }

  protected valueCode(): string {
    return `
      ${windowSumFn(this.s, j => `term[${j}]`)}
      fn value(i : i32) -> f32 {
        let s = scale[i];
        return dy[i] * ${powNegBeta('s', this.beta)} -
            2.0 * uniforms.alpha * uniforms.beta * x[i] * windowSum(i);
      }
    `;
  }
}
