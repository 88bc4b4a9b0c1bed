// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGrad, MsInstanceNormGradAttrs, MsInstanceNormGradInputs} from '../../kernel_names';
import {groupNormGrad} from './GroupNormGrad';
import {webgpuKernelConfig, WebGPUKernelArgs} from './webgpu_util';

// InstanceNorm backward: GroupNorm's with one channel per group. Outputs [dx, dgamma, dbeta].
export function msInstanceNormGrad(args: WebGPUKernelArgs<MsInstanceNormGradInputs, MsInstanceNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {epsilon}} = args;
  return groupNormGrad(backend, x!, gamma!, dy!, x!.shape[1], epsilon);
}

export const msInstanceNormGradConfig = webgpuKernelConfig(MsInstanceNormGrad, msInstanceNormGrad);
