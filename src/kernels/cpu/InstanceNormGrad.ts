// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGrad, MsInstanceNormGradAttrs, MsInstanceNormGradInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig} from './cpu_util';
import {msGroupNormGrad} from './GroupNormGrad';

// Backward of InstanceNorm: GroupNorm's with one channel per group. Per (n, c)
// slice, xhat = (x - mean) * rstd:
//   dx = gamma[c] * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
//   dgamma[c] = sum over n and the slice of dy * xhat, dbeta[c] = sum of dy.
export function msInstanceNormGrad(
    args: CpuKernelArgs<MsInstanceNormGradInputs, MsInstanceNormGradAttrs>): TensorInfo[] {
  const {inputs, backend, attrs: {epsilon}} = args;
  return msGroupNormGrad({inputs, backend, attrs: {numGroups: inputs.x!.shape[1], epsilon}});
}

export const MsInstanceNormGradConfig = cpuKernelConfig(MsInstanceNormGrad, msInstanceNormGrad);
