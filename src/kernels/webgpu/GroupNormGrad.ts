// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNormGrad, MsGroupNormGradAttrs, MsGroupNormGradInputs} from '../../kernel_names';
import {groupLayout, groupShape} from './GroupNorm';
import {GroupNormGradProgram} from './group_norm_webgpu';
import {STATS_HELPERS} from './moments_webgpu';
import {lanes, moments, run, sliceSums} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// GroupNorm backward, statistics recomputed from x, per group with
// xhat = (x - mean) * invStd and g = dy * gamma[c]:
//   dx = invStd * (g - mean(g) - xhat * mean(g * xhat)),
//   dgamma[c] = sum(dy * xhat), dbeta[c] = sum(dy)   (over samples and positions).
// Outputs [dx, dgamma, dbeta]. Dispatches: statistics and group sums (one
// workgroup per (n, g)), dx, channel sums (one workgroup per channel), two small ones.
export function msGroupNormGrad(args: WebGPUKernelArgs<MsGroupNormGradInputs, MsGroupNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {numGroups, epsilon}} = args;
  return groupNormGrad(backend, x!, gamma!, dy!, numGroups, epsilon);
}

/** GroupNorm backward, [dx, dgamma, dbeta]; InstanceNorm's is the case numGroups = C. */
export function groupNormGrad(
    backend: WebGPUBackend, x: TensorInfo, gamma: TensorInfo, dy: TensorInfo,
    numGroups: number, epsilon: number): TensorInfo[] {
  const [batch, channels] = x.shape;
  if (sizeOf(x.shape) === 0) {
    return [filled(backend, x.shape), filled(backend, [channels]), filled(backend, [channels])];
  }
  const g = groupShape(x.shape, numGroups);
  const groups = groupLayout(x.shape, numGroups);
  const stats = moments(backend, x, groups, epsilon);
  const groupSums = sliceSums(backend, {
    variableNames: ['x', 'dy', 'stats', 'gamma'],
    layout: groups,
    helpers: STATS_HELPERS,
    slicePrelude: 'let invStd = invStdOf(slot);',
    elementPrelude: `let gv = dy[i] * gamma[(i / ${g.spatial}) % ${channels}];`,
    terms: ['gv', 'gv * centred(x[i], slot) * invStd'],
    key: `gnGroups${channels}_${g.spatial}`,
  }, [x, dy, stats, gamma]);
  const dx = run(backend, new GroupNormGradProgram(x.shape, g), [x, dy, stats, gamma, groupSums]);

  // Per channel over samples and positions; slice (n, c / perGroup) holds the statistics.
  const perChannel = sliceSums(backend, {
    variableNames: ['x', 'dy', 'stats'],
    layout: new SliceLayout([batch, channels, g.spatial], [0, 2]),
    helpers: STATS_HELPERS,
    elementPrelude: `let s = (i / ${channels * g.spatial}) * ${numGroups} + slot / ${g.perGroup};`,
    terms: ['dy[i] * centred(x[i], s) * invStdOf(s)', 'dy[i]'],
    key: `gnChannels${numGroups}_${g.perGroup}`,
  }, [x, dy, stats]);
  const dgamma = lanes(backend, perChannel, [0]);
  const dbeta = lanes(backend, perChannel, [1]);
  disposeAll(backend, [stats, groupSums, perChannel]);
  return [dx, dgamma, dbeta];
}

export const msGroupNormGradConfig = webgpuKernelConfig(MsGroupNormGrad, msGroupNormGrad);
