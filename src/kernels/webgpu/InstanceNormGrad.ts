// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGrad, MsInstanceNormGradAttrs, MsInstanceNormGradInputs} from '../../kernel_names';
import {groupNormGrad} from './GroupNormGrad';

// InstanceNorm backward: GroupNorm's with one channel per group. Outputs [dx, dgamma, dbeta].
export function msInstanceNormGrad(args: {
  inputs: MsInstanceNormGradInputs,
  backend: WebGPUBackend,
  attrs: MsInstanceNormGradAttrs,
}): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {epsilon}} = args;
  return groupNormGrad(backend, x!, gamma!, dy!, x!.shape[1], epsilon);
}

export const msInstanceNormGradConfig: KernelConfig = {
  kernelName: MsInstanceNormGrad,
  backendName: 'webgpu',
  kernelFunc: msInstanceNormGrad as unknown as KernelFunc,
};
