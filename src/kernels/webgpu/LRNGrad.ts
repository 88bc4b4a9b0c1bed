// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsLRNGrad, MsLRNGradAttrs, MsLRNGradInputs} from '../../kernel_names';
import {lrnShape} from './LRN';
import {LRNGradProgram, LRNGradTermProgram, LRNScaleProgram} from './lrn_webgpu';
import {run} from './run_programs';
import {disposeAll, filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore LRNGrad, s = bias + alpha * sqr_sum:
//   dx[c] = dy[c] * s[c]^-beta
//           - 2 * alpha * beta * x[c] * sum_{|c'-c|<=r} dy[c'] * x[c'] * s[c']^(-beta-1)
// Dispatches: s; t = dy * x * s^(-beta-1); dx.
export function msLRNGrad(
    args: WebGPUKernelArgs<MsLRNGradInputs, MsLRNGradAttrs>): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  if (sizeOf(x!.shape) === 0) {
    return filled(backend, x!.shape);
  }
  const s = lrnShape(x!.shape, depthRadius);
  const scale = run(backend, new LRNScaleProgram(x!.shape, s), [x!], {bias, alpha});
  const term = run(backend, new LRNGradTermProgram(x!.shape, beta), [x!, dy!, scale], {beta});
  const dx = run(
      backend, new LRNGradProgram(x!.shape, s, beta), [x!, dy!, scale, term], {alpha, beta});
  disposeAll(backend, [scale, term]);
  return dx;
}

export const msLRNGradConfig = webgpuKernelConfig(MsLRNGrad, msLRNGrad);
