// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';
import {STATS_HELPERS} from './moments_webgpu';

/** Sizes of the [outer, C, inner] channel view of BatchNorm's input. */
export interface ChannelShape {
  channels: number;
  inner: number;
}

/**
 * BatchNorm's y, element i in channel (i / inner) % C. With the batch's
 * statistics (`stats`, training) or the moving ones (inference):
 *   y = (x - mean) / sqrt(var + epsilon) * gamma + beta.
 */
export class BatchNormProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly ch: ChannelShape,
              private readonly training: boolean) {
    super(
        'msBatchNorm', shape,
        training ? ['x', 'stats', 'gamma', 'beta'] :
                   ['x', 'movingMean', 'movingVar', 'gamma', 'beta'],
        training ? undefined : 'epsilon : f32,');
    this.shaderKey += `_${ch.channels}_${ch.inner}_${training}`;
  }

  protected valueCode(): string {
    const normalized = this.training ?
        'centred(x[i], c) * invStdOf(c)' :
        '(x[i] - movingMean[c]) * inverseSqrt(movingVar[c] + uniforms.epsilon)';
    return `
      ${this.training ? STATS_HELPERS : ''}
      fn value(i : i32) -> f32 {
        let c = (i / ${this.ch.inner}) % ${this.ch.channels};
        return ${normalized} * gamma[c] + beta[c];
      }
    `;
  }
}

/**
 * One running-statistic update of ops.batch_norm per channel:
 *   new = (1 - momentum) * running + momentum * batch * scale,
 * batch being the sum of the given lanes of `stats` (mean: [0, 1], variance: [2]).
 */
export class RunningStatProgram extends ElementwiseProgram {
  constructor(channels: number, private readonly lanes: number[]) {
    super('msRunningStat', [channels], ['running', 'stats'], 'momentum : f32, scale : f32,');
    this.shaderKey += `_${lanes.join('.')}`;
  }

  protected valueCode(): string {
    const batch = this.lanes.map(l => `stats[i * 4 + ${l}]`).join(' + ');
    return `
      fn value(i : i32) -> f32 {
        return (1.0 - uniforms.momentum) * running[i] +
            uniforms.momentum * ((${batch}) * uniforms.scale);
      }
    `;
  }
}

/**
 * BatchNorm's dx, element i in channel c. Training (batch statistics, M
 * values per channel, `sums` lanes 0, 1 = sum(dy * xhat), sum(dy)):
 *   dx = gamma * invStd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M);
 * inference (moving statistics): dx = dy * gamma * invStd.
 */
export class BatchNormGradProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly ch: ChannelShape,
              private readonly training: boolean, private readonly count: number) {
    super(
        'msBatchNormGrad', shape,
        training ? ['x', 'dy', 'stats', 'gamma', 'sums'] : ['dy', 'movingVar', 'gamma'],
        training ? undefined : 'epsilon : f32,');
    this.shaderKey += `_${ch.channels}_${ch.inner}_${training}_${count}`;
  }

  protected valueCode(): string {
    const c = `let c = (i / ${this.ch.inner}) % ${this.ch.channels};`;
    if (!this.training) {
      return `
        fn value(i : i32) -> f32 {
          ${c}
          return dy[i] * gamma[c] * inverseSqrt(movingVar[c] + uniforms.epsilon);
        }
      `;
    }
    const m = `${this.count}.0`;
    return `
      ${STATS_HELPERS}
      fn value(i : i32) -> f32 {
        ${c}
        let invStd = invStdOf(c);
        let xhat = centred(x[i], c) * invStd;
        return gamma[c] * invStd *
            (dy[i] - sums[c * 4 + 1] / ${m} - xhat * (sums[c * 4] / ${m}));
      }
    `;
  }
}
