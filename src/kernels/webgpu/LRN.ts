// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNInputs} from '../../kernel_names';
import {LRNProgram, LRNShape} from './lrn_webgpu';
import {run} from './run_programs';
import {filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore LRN on NCHW: out = x / (bias + alpha * sqr_sum)^beta, sqr_sum over
// channels [c - r, c + r]; alpha is not divided by the window size. One dispatch.
export function msLRN(args: WebGPUKernelArgs<MsLRNInputs, MsLRNAttrs>):
    TensorInfo {
  const {inputs: {x}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  if (sizeOf(x!.shape) === 0) {
    return filled(backend, x!.shape);
  }
  return run(
      backend, new LRNProgram(x!.shape, lrnShape(x!.shape, depthRadius), beta), [x!],
      {bias, alpha, beta});
}

/** The [N, C, positions] sizes; a radius beyond C - 1 is clamped (same window). */
export function lrnShape(shape: number[], depthRadius: number): LRNShape {
  return {
    channels: shape[1],
    positions: sizeOf(shape.slice(2)),
    depthRadius: Math.min(depthRadius, shape[1] - 1),
  };
}

export const msLRNConfig = webgpuKernelConfig(MsLRN, msLRN);
