// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormInferenceInputs} from '../../kernel_names';
import {channelAffine, channelLayout} from './channel_stats';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';

// MindSpore BatchNorm, inference: y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta.
export function msBatchNormInference(
    args: CpuKernelArgs<MsBatchNormInferenceInputs, MsBatchNormInferenceAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {epsilon, dataFormat} = attrs;
  const xVals = valuesOf(backend, x!);
  const gammaVals = valuesOf(backend, gamma!);
  const varVals = valuesOf(backend, runningVar!);
  const layout = channelLayout(x!.shape, dataFormat);
  const mean = Float64Array.from(valuesOf(backend, runningMean!));
  const scale = new Float64Array(layout.channels);
  for (let c = 0; c < layout.channels; c++) {
    scale[c] = gammaVals[c] / Math.sqrt(varVals[c] + epsilon);
  }
  const y = new Float32Array(xVals.length);
  channelAffine(xVals, layout, mean, scale, valuesOf(backend, beta!), y);
  return backend.makeTensorInfo(x!.shape, 'float32', y);
}

export const MsBatchNormInferenceConfig =
    cpuKernelConfig(MsBatchNormInference, msBatchNormInference);
