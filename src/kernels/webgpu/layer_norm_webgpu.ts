// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';
import {STATS_HELPERS} from './moments_webgpu';

/**
 * LayerNorm's y on a flat x of rows of `blockSize` values; element i uses
 * statistics row i / blockSize and parameter i % paramSize (gamma/beta are
 * x.shape[bpa:], whether bpa is before or after bna).
 */
export class LayerNormProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly blockSize: number,
              private readonly paramSize: number) {
    super('msLayerNorm', shape, ['x', 'stats', 'gamma', 'beta']);
    this.shaderKey += `_${blockSize}_${paramSize}`;
  }

  protected valueCode(): string {
    return `
      ${STATS_HELPERS}
      fn value(i : i32) -> f32 {
        let row = i / ${this.blockSize};
        let p = i % ${this.paramSize};
        return centred(x[i], row) * invStdOf(row) * gamma[p] + beta[p];
      }
    `;
  }
}

/**
 * LayerNorm's dx, with g = dy * gamma[i % paramSize], M = blockSize and
 * `rowSums` lanes 0, 1 = sum(g), sum(g * xhat) per row:
 *   dx = invStd * (g - mean(g) - xhat * mean(g * xhat))
 *        + dmean / M + 2 * dvariance * (x - mean) / M,
 * the last two terms only when those gradients are given.
 */
export class LayerNormGradProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly blockSize: number,
              private readonly paramSize: number, private readonly hasDmean: boolean,
              private readonly hasDvariance: boolean) {
    super('msLayerNormGrad', shape, [
      'x', 'dy', 'stats', 'gamma', 'rowSums', ...(hasDmean ? ['dmean'] : []),
      ...(hasDvariance ? ['dvariance'] : []),
    ]);
    this.shaderKey += `_${blockSize}_${paramSize}_${hasDmean}_${hasDvariance}`;
  }

  protected valueCode(): string {
    const m = `${this.blockSize}.0`;
    return `
      ${STATS_HELPERS}
      fn value(i : i32) -> f32 {
        let row = i / ${this.blockSize};
        let invStd = invStdOf(row);
        let c = centred(x[i], row);
        let xhat = c * invStd;
        let g = dy[i] * gamma[i % ${this.paramSize}];
        var dx = invStd * (g - rowSums[row * 4] / ${m} - xhat * (rowSums[row * 4 + 1] / ${m}));
        ${this.hasDmean ? `dx += dmean[row] / ${m};` : ''}
        ${this.hasDvariance ? `dx += 2.0 * dvariance[row] * c / ${m};` : ''}
        return dx;
      }
    `;
  }
}
