// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormAttrs, MsLayerNormInputs} from '../../kernel_names';

import {LayerNormProgram, MomentOutputProgram} from './layer_norm_gpu';
import {momentInputs, moments} from './moments';
import {disposeAll, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore LayerNorm: y = (x - mean) / sqrt(var + eps) * gamma + beta, with mean
// and biased var over axes [bna, rank) and gamma/beta over x.shape[bpa:].
// Outputs [y, mean, variance] like mindspore.ops.LayerNorm. On an
// [outer, blockSize] view. Passes: shift, sum, squared deviations (plus
// window stages for long rows), y, mean, variance: 6.
export function msLayerNorm(
    args: WebGLKernelArgs<MsLayerNormInputs, MsLayerNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta}, backend, attrs} = args;
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs;
  const outer = util.sizeFromShape(x!.shape.slice(0, beginNormAxis));
  const blockSize = util.sizeFromShape(x!.shape.slice(beginNormAxis));
  const paramSize = util.sizeFromShape(x!.shape.slice(beginParamsAxis));
  const statsShape = x!.shape.map((d, i) => (i < beginNormAxis ? d : 1));
  if (outer * blockSize === 0) {
    // No values: statistics of empty rows are 0/0 (as on the CPU).
    return [
      backend.makeTensorInfo(x!.shape, 'float32', new Float32Array(0)),
      backend.makeTensorInfo(statsShape, 'float32', new Float32Array(outer).fill(NaN)),
      backend.makeTensorInfo(statsShape, 'float32', new Float32Array(outer).fill(NaN)),
    ];
  }
  const shape = [outer, blockSize];
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const m = moments(backend, xView, shape, [1]);
  const params = [view(gamma!, [paramSize]), view(beta!, [paramSize])];
  const y = backend.runWebGLProgram(
      new LayerNormProgram(shape, paramSize), [xView, ...momentInputs(m), ...params], 'float32',
      [[epsilon]]);
  const mean = backend.runWebGLProgram(
      new MomentOutputProgram(outer, m.count, true), [view(m.shift, [outer]), view(m.sum, [outer])],
      'float32');
  const variance = backend.runWebGLProgram(
      new MomentOutputProgram(outer, m.count, false), [view(m.sqDev, [outer])], 'float32');
  disposeAll(backend, [...momentInputs(m), ...temps]);
  return [view(y, x!.shape), view(mean, statsShape), view(variance, statsShape)];
}

export const MsLayerNormConfig = webglKernelConfig(MsLayerNorm, msLayerNorm);
