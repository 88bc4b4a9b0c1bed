// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormInferenceInputs} from '../../kernel_names';
import {BatchNormInferencePackedProgram, BatchNormInferenceProgram, BatchNormParamsProgram} from './batch_norm_inference_gpu';
import {channelView} from '../gpu_util/channel_view';
import {filled, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore BatchNorm, inference: y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta.
// Packed x (the output of most tfjs ops) is read as it is, in its own shape:
// a small pass packs the parameters into one texture, then one packed pass
// (an unpack pass would cost as much as the whole op). Unpacked x: one pass
// on an [outer, C, inner] view.
export function msBatchNormInference(
    args: WebGLKernelArgs<MsBatchNormInferenceInputs, MsBatchNormInferenceAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {epsilon, dataFormat} = attrs;
  if (util.sizeFromShape(x!.shape) === 0) {
    return filled(backend, x!.shape);
  }
  const shape = channelView(x!.shape, dataFormat);
  const params = [runningMean!, runningVar!, gamma!, beta!];
  if (backend.texData.get(x!.dataId).isPacked && x!.shape.length <= 6) {
    const packedParams =
        backend.runWebGLProgram(new BatchNormParamsProgram(shape[1]), params, 'float32', [[epsilon]]);
    const y = backend.runWebGLProgram(
        new BatchNormInferencePackedProgram(x!.shape, dataFormat), [x!, packedParams], 'float32');
    backend.disposeIntermediateTensorInfo(packedParams);
    return y;
  }
  const y = backend.runWebGLProgram(
      new BatchNormInferenceProgram(shape), [view(x!, shape), ...params], 'float32', [[epsilon]]);
  return view(y, x!.shape);
}

export const MsBatchNormInferenceConfig =
    webglKernelConfig(MsBatchNormInference, msBatchNormInference);
