// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';

/** rstd = 1 / sqrt(sum(x^2) / M + epsilon) per row, `sums` lane 0 = sum(x^2). */
export class RMSNormRstdProgram extends ElementwiseProgram {
  constructor(rows: number, private readonly rowSize: number) {
    super('msRMSNormRstd', [rows], ['sums'], 'epsilon : f32,');
    this.shaderKey += `_${rowSize}`;
  }

  protected valueCode(): string {
    return `
      fn value(i : i32) -> f32 {
        return inverseSqrt(sums[i * 4] / ${this.rowSize}.0 + uniforms.epsilon);
      }
    `;
  }
}

/** y = x * rstd[row] * gamma[i % M] on rows of M values. */
export class RMSNormProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly rowSize: number) {
    super('msRMSNorm', shape, ['x', 'rstd', 'gamma']);
    this.shaderKey += `_${rowSize}`;
  }

  protected valueCode(): string {
    return `
      fn value(i : i32) -> f32 {
        return x[i] * rstd[i / ${this.rowSize}] * gamma[i % ${this.rowSize}];
      }
    `;
  }
}

/**
 * MindSpore RmsNormGrad's dx with the forward's rstd, `dots` lane 0 =
 * sum(dy * gamma * x) per row of M values:
 *   dx = rstd * dy * gamma - x * rstd^3 * sum(dy * gamma * x) / M.
 */
export class RMSNormGradProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly rowSize: number) {
    super('msRMSNormGrad', shape, ['x', 'dy', 'rstd', 'gamma', 'dots']);
    this.shaderKey += `_${rowSize}`;
  }

  protected valueCode(): string {
    const m = this.rowSize;
    return `
      fn value(i : i32) -> f32 {
        let row = i / ${m};
        let r = rstd[row];
        return r * dy[i] * gamma[i % ${m}] - x[i] * r * r * r * (dots[row * 4] / ${m}.0);
      }
    `;
  }
}
