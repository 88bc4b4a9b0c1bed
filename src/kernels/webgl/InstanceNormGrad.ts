// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsInstanceNormGrad, MsInstanceNormGradAttrs, MsInstanceNormGradInputs} from '../../kernel_names';
import {groupNormGrad} from './GroupNormGrad';
import {WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// Backward of InstanceNorm per (n, c) slice, xhat = (x - mean) * rstd:
//   dx = gamma[c] * rstd * (dy - mean(dy) - xhat * mean(dy * xhat)),
//   dgamma[c] = sum of dy * xhat over n and the slice, dbeta[c] = sum of dy:
// GroupNorm's backward with one channel per group (see there for the passes).
export function msInstanceNormGrad(
    args: WebGLKernelArgs<MsInstanceNormGradInputs, MsInstanceNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {epsilon}} = args;
  return groupNormGrad(backend, x!, gamma!, dy!, x!.shape[1], epsilon);
}

export const MsInstanceNormGradConfig = webglKernelConfig(MsInstanceNormGrad, msInstanceNormGrad);
