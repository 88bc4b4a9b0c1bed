// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig} from './cpu_util';
import {msGroupNorm} from './GroupNorm';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice is normalized with its
// own mean and biased variance, in training and inference alike:
//   y = (x - mean_nc) / sqrt(var_nc + eps) * gamma[c] + beta[c]
// which is GroupNorm with one channel per group.
export function msInstanceNorm(
    args: CpuKernelArgs<MsInstanceNormInputs, MsInstanceNormAttrs>): TensorInfo {
  const {inputs, backend, attrs: {epsilon}} = args;
  return msGroupNorm({inputs, backend, attrs: {numGroups: inputs.x!.shape[1], epsilon}});
}

export const MsInstanceNormConfig = cpuKernelConfig(MsInstanceNorm, msInstanceNorm);
