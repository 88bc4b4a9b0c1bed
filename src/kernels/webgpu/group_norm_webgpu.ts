// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';
import {STATS_HELPERS} from './moments_webgpu';
import {sizesKey} from './webgpu_util';

/** Sizes of GroupNorm's (N, C, *) input viewed as [N, G, C / G, spatial]. */
export interface GroupShape {
  channels: number;
  perGroup: number;
  spatial: number;
}

/**
 * GroupNorm's (and InstanceNorm's) y: element i is in channel
 * (i / spatial) % C and group slice i / (perGroup * spatial).
 */
export class GroupNormProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly g: GroupShape) {
    super('msGroupNorm', shape, ['x', 'stats', 'gamma', 'beta']);
    this.shaderKey += `_${sizesKey(g)}`;
  }

  protected valueCode(): string {
    const {channels, perGroup, spatial} = this.g;
    return `
      ${STATS_HELPERS}
      fn value(i : i32) -> f32 {
        let slot = i / ${perGroup * spatial};
        let c = (i / ${spatial}) % ${channels};
        return centred(x[i], slot) * invStdOf(slot) * gamma[c] + beta[c];
      }
    `;
  }
}

/**
 * GroupNorm's dx with g = dy * gamma[c], K values per group and `groupSums`
 * lanes 0, 1 = sum(g), sum(g * xhat) per group:
 *   dx = invStd * (g - mean(g) - xhat * mean(g * xhat)).
 */
export class GroupNormGradProgram extends ElementwiseProgram {
  constructor(shape: number[], private readonly g: GroupShape) {
    super('msGroupNormGrad', shape, ['x', 'dy', 'stats', 'gamma', 'groupSums']);
    this.shaderKey += `_${sizesKey(g)}`;
  }

  protected valueCode(): string {
    const {channels, perGroup, spatial} = this.g;
    const k = `${perGroup * spatial}.0`;
    return `
      ${STATS_HELPERS}
      fn value(i : i32) -> f32 {
        let slot = i / ${perGroup * spatial};
        let c = (i / ${spatial}) % ${channels};
        let invStd = invStdOf(slot);
        let xhat = centred(x[i], slot) * invStd;
        let g = dy[i] * gamma[c];
        return invStd * (g - groupSums[slot * 4] / ${k} -
                         xhat * (groupSums[slot * 4 + 1] / ${k}));
      }
    `;
  }
}
