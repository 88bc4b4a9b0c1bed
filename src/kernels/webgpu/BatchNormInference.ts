// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormInferenceInputs} from '../../kernel_names';
import {batchNormLayout} from './batch_norm_layout';
import {BatchNormProgram} from './batch_norm_webgpu';
import {run} from './run_programs';
import {filled, sizeOf} from './webgpu_util';

// MindSpore BatchNorm, inference:
//   y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta. One dispatch.
export function msBatchNormInference(args: {
  inputs: MsBatchNormInferenceInputs,
  backend: WebGPUBackend,
  attrs: MsBatchNormInferenceAttrs,
}): TensorInfo {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {epsilon, dataFormat} = attrs;
  if (sizeOf(x!.shape) === 0) {
    return filled(backend, x!.shape);
  }
  const {ch} = batchNormLayout(x!.shape, dataFormat);
  return run(
      backend, new BatchNormProgram(x!.shape, ch, false),
      [x!, runningMean!, runningVar!, gamma!, beta!], {epsilon});
}

export const msBatchNormInferenceConfig: KernelConfig = {
  kernelName: MsBatchNormInference,
  backendName: 'webgpu',
  kernelFunc: msBatchNormInference as unknown as KernelFunc,
};
