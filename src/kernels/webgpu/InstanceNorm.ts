// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {groupNorm} from './GroupNorm';
import {webgpuKernelConfig, WebGPUKernelArgs} from './webgpu_util';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice normalized with its
// own mean and biased variance: GroupNorm with one channel per group.
export function msInstanceNorm(args: WebGPUKernelArgs<MsInstanceNormInputs, MsInstanceNormAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {epsilon}} = args;
  return groupNorm(backend, x!, gamma!, beta!, x!.shape[1], epsilon);
}

export const msInstanceNormConfig = webgpuKernelConfig(MsInstanceNorm, msInstanceNorm);
