import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsBatchNormInference, MsBatchNormInferenceAttrs, MsBatchNormInferenceInputs} from '../../kernel_names';
import {BatchNormProgram} from './batch_norm_gpu';
import {channelView} from './channel_view';
import {disposeAll, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore BatchNorm, inference: y = (x - movingMean) / sqrt(movingVar + eps) * gamma + beta.
// Passes: 1, on an [outer, C, inner] view.
export function msBatchNormInference(
    args: WebGLKernelArgs<MsBatchNormInferenceInputs, MsBatchNormInferenceAttrs>): TensorInfo {
  const {inputs: {x, gamma, beta, runningMean, runningVar}, backend, attrs} = args;
  const {epsilon, dataFormat} = attrs;
  if (util.sizeFromShape(x!.shape) === 0) {
    return backend.makeTensorInfo(x!.shape, 'float32', new Float32Array(0));
  }
  const shape = channelView(x!.shape, dataFormat);
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const y = backend.runWebGLProgram(
      new BatchNormProgram(shape, 1), [xView, runningMean!, runningVar!, gamma!, beta!], 'float32',
      [[epsilon]]);
  disposeAll(backend, temps);
  return view(y, x!.shape);
}

export const MsBatchNormInferenceConfig =
    webglKernelConfig(MsBatchNormInference, msBatchNormInference);
