// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormInferenceInputs} from '../../kernel_names';
import {batchNormLayout} from './batch_norm_layout';
import {BatchNormProgram} from './batch_norm_webgpu';
import {run} from './run_programs';
import {filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore BatchNorm, inference:
//   y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta. One dispatch.
export function msBatchNormInference(args: WebGPUKernelArgs<MsBatchNormInferenceInputs, MsBatchNormInferenceAttrs>): TensorInfo {
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

export const msBatchNormInferenceConfig = webgpuKernelConfig(MsBatchNormInference, msBatchNormInference);
