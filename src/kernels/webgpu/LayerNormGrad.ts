// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsLayerNormGrad, MsLayerNormGradAttrs, MsLayerNormGradInputs} from '../../kernel_names';
import {LayerNormGradProgram} from './layer_norm_webgpu';
import {STATS_HELPERS} from './moments_webgpu';
import {lanes, moments, run, sliceSums} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// Backward of y = xhat * gamma + beta per row of M values (statistics
// recomputed from x), g = dy * gamma:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) + dmean / M + dvar * 2 (x - mean) / M
//   dgamma = sum(dy * xhat), dbeta = sum(dy) over the axes gamma lacks.
// Dispatches: statistics and row sums (one workgroup per row), dx, the
// parameter sums (one workgroup per parameter) and two small ones.
export function msLayerNormGrad(args: WebGPUKernelArgs<MsLayerNormGradInputs, MsLayerNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy, dmean, dvariance}, backend, attrs} = args;
  const {beginNormAxis, epsilon} = attrs;
  const outer = sizeOf(x!.shape.slice(0, beginNormAxis));
  const blockSize = sizeOf(x!.shape.slice(beginNormAxis));
  const paramSize = sizeOf(gamma!.shape);
  if (outer * blockSize === 0) {
    return [filled(backend, x!.shape), filled(backend, gamma!.shape),
            filled(backend, gamma!.shape)];
  }
  const rows = new SliceLayout([outer, blockSize], [1]);
  const stats = moments(backend, x!, rows, epsilon);
  const rowSums = sliceSums(backend, {
    variableNames: ['x', 'dy', 'stats', 'gamma'],
    layout: rows,
    helpers: STATS_HELPERS,
    slicePrelude: 'let invStd = invStdOf(slot);',
    elementPrelude: `let g = dy[i] * gamma[i % ${paramSize}];`,
    terms: ['g', 'g * centred(x[i], slot) * invStd'],
    key: `lnRows${paramSize}`,
  }, [x!, dy!, stats, gamma!]);
  const extra = [...(dmean != null ? [dmean] : []), ...(dvariance != null ? [dvariance] : [])];
  const dx = run(
      backend,
      new LayerNormGradProgram(x!.shape, blockSize, paramSize, dmean != null, dvariance != null),
      [x!, dy!, stats, gamma!, rowSums, ...extra]);

  // Element i uses parameter i % paramSize: sum axis 0 of [size / paramSize, paramSize].
  const params = sliceSums(backend, {
    variableNames: ['x', 'dy', 'stats'],
    layout: new SliceLayout([sizeOf(x!.shape) / paramSize, paramSize], [0]),
    helpers: STATS_HELPERS,
    elementPrelude: `let row = i / ${blockSize};`,
    terms: ['dy[i] * centred(x[i], row) * invStdOf(row)', 'dy[i]'],
    key: `lnParams${blockSize}`,
  }, [x!, dy!, stats]);
  const dgamma = lanes(backend, params, [0], gamma!.shape);
  const dbeta = lanes(backend, params, [1], gamma!.shape);
  disposeAll(backend, [stats, rowSums, params]);
  return [dx, dgamma, dbeta];
}

export const msLayerNormGradConfig = webgpuKernelConfig(MsLayerNormGrad, msLayerNormGrad);
