// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormAttrs, MsLayerNormInputs} from '../../kernel_names';
import {LayerNormProgram} from './layer_norm_webgpu';
import {STAT_MEAN, STAT_SHIFT, STAT_VARIANCE} from './moments_webgpu';
import {lanes, moments, run} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore LayerNorm: y = (x - mean) / sqrt(var + eps) * gamma + beta, mean
// and biased var over axes [bna, rank), gamma/beta over x.shape[bpa:].
// Outputs [y, mean, variance]. Dispatches: statistics (one workgroup per
// row), y, and two small ones for the mean and variance outputs.
export function msLayerNorm(args: WebGPUKernelArgs<MsLayerNormInputs, MsLayerNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta}, backend, attrs} = args;
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs;
  const outer = sizeOf(x!.shape.slice(0, beginNormAxis));
  const blockSize = sizeOf(x!.shape.slice(beginNormAxis));
  const statsShape = x!.shape.map((d, i) => (i < beginNormAxis ? d : 1));
  if (outer * blockSize === 0) {
    // Statistics of empty rows are 0/0, as on the CPU.
    return [filled(backend, x!.shape), filled(backend, statsShape, NaN),
            filled(backend, statsShape, NaN)];
  }
  const stats = moments(backend, x!, new SliceLayout([outer, blockSize], [1]), epsilon);
  const paramSize = sizeOf(x!.shape.slice(beginParamsAxis));
  const y = run(
      backend, new LayerNormProgram(x!.shape, blockSize, paramSize), [x!, stats, gamma!, beta!]);
  const mean = lanes(backend, stats, [STAT_SHIFT, STAT_MEAN], statsShape);
  const variance = lanes(backend, stats, [STAT_VARIANCE], statsShape);
  disposeAll(backend, [stats]);
  return [y, mean, variance];
}

export const msLayerNormConfig = webgpuKernelConfig(MsLayerNorm, msLayerNorm);
