// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {groupNorm} from './GroupNorm';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice normalized with its
// own mean and biased variance: GroupNorm with one channel per group.
export function msInstanceNorm(args: {
  inputs: MsInstanceNormInputs,
  backend: WebGPUBackend,
  attrs: MsInstanceNormAttrs,
}): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {epsilon}} = args;
  return groupNorm(backend, x!, gamma!, beta!, x!.shape[1], epsilon);
}

export const msInstanceNormConfig: KernelConfig = {
  kernelName: MsInstanceNorm,
  backendName: 'webgpu',
  kernelFunc: msInstanceNorm as unknown as KernelFunc,
};
