// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormAttrs, MsInstanceNormInputs} from '../../kernel_names';
import {groupNorm} from './GroupNorm';
import {WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore InstanceNorm on (N, C, *): each (n, c) slice is normalized with its
// own mean and biased variance, y = (x - mean_nc) / sqrt(var_nc + eps) * gamma[c] + beta[c]:
// GroupNorm with one channel per group (the same kernel). Passes: 5 (see GroupNorm).
export function msInstanceNorm(
    args: WebGLKernelArgs<MsInstanceNormInputs, MsInstanceNormAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta}, backend, attrs: {epsilon}} = args;
  return groupNorm(backend, x!, gamma!, beta!, x!.shape[1], epsilon);
}

export const MsInstanceNormConfig = webglKernelConfig(MsInstanceNorm, msInstanceNorm);
