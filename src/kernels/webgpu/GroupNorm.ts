// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormAttrs, MsGroupNormInputs} from '../../kernel_names';
import {GroupNormProgram, GroupShape} from './group_norm_webgpu';
import {moments, run} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore GroupNorm on (N, C, *): per sample and group of C / G channels,
// y = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c] with the biased
// variance. Dispatches: statistics (one workgroup per (n, g)), y.
export function msGroupNorm(args: WebGPUKernelArgs<MsGroupNormInputs, MsGroupNormAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {numGroups, epsilon}} = args;
  return groupNorm(backend, x!, gamma!, beta!, numGroups, epsilon);
}

/** GroupNorm's y; InstanceNorm's is the case numGroups = C. */
export function groupNorm(
    backend: WebGPUBackend, x: TensorInfo, gamma: TensorInfo, beta: TensorInfo,
    numGroups: number, epsilon: number): TensorInfo {
  if (sizeOf(x.shape) === 0) {
    return filled(backend, x.shape);
  }
  const g = groupShape(x.shape, numGroups);
  const stats = moments(backend, x, groupLayout(x.shape, numGroups), epsilon);
  const y = run(backend, new GroupNormProgram(x.shape, g), [x, stats, gamma, beta]);
  disposeAll(backend, [stats]);
  return y;
}

export function groupShape(shape: number[], numGroups: number): GroupShape {
  return {channels: shape[1], perGroup: shape[1] / numGroups, spatial: sizeOf(shape.slice(2))};
}

/** The (n, g) slices: consecutive runs of perGroup * spatial values. */
export function groupLayout(shape: number[], numGroups: number): SliceLayout {
  return new SliceLayout([shape[0] * numGroups, sizeOf(shape.slice(1)) / numGroups], [1]);
}

export const msGroupNormConfig = webgpuKernelConfig(MsGroupNorm, msGroupNorm);
