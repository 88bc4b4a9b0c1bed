// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsBatchNormGrad, MsBatchNormGradAttrs, MsBatchNormGradInputs} from '../../kernel_names';
import {batchNormLayout} from './batch_norm_layout';
import {BatchNormGradProgram} from './batch_norm_webgpu';
import {STATS_HELPERS} from './moments_webgpu';
import {lanes, moments, run, sliceSums} from './run_programs';
import {disposeAll, filled, sizeOf, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore BatchNormGrad, xhat = (x - mean) * invStd per channel, M values per channel:
//   training  dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
//             (mean, var: the batch's, recomputed from x)
//   inference dx = dy * gamma * invStd            (mean, var: the moving statistics)
//   dgamma = sum(dy * xhat), dbeta = sum(dy).     Outputs [dx, dgamma, dbeta].
// Dispatches: (training: statistics,) channel sums (one workgroup per
// channel), dx, and two small ones.
export function msBatchNormGrad(args: WebGPUKernelArgs<MsBatchNormGradInputs, MsBatchNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, runningMean, runningVar, dy}, backend, attrs} = args;
  const {training, epsilon, dataFormat} = attrs;
  const {layout, ch} = batchNormLayout(x!.shape, dataFormat);
  if (sizeOf(x!.shape) === 0) {
    return [filled(backend, x!.shape), filled(backend, [ch.channels]),
            filled(backend, [ch.channels])];
  }
  const key = `bn${ch.channels}_${ch.inner}_${training}`;
  let sums: TensorInfo;
  let dx: TensorInfo;
  if (training) {
    const stats = moments(backend, x!, layout, epsilon);
    sums = sliceSums(backend, {
      variableNames: ['x', 'dy', 'stats'],
      layout,
      helpers: STATS_HELPERS,
      slicePrelude: 'let invStd = invStdOf(slot);',
      terms: ['dy[i] * centred(x[i], slot) * invStd', 'dy[i]'],
      key,
    }, [x!, dy!, stats]);
    dx = run(
        backend, new BatchNormGradProgram(x!.shape, ch, true, layout.length),
        [x!, dy!, stats, gamma!, sums]);
    disposeAll(backend, [stats]);
  } else {
    sums = sliceSums(backend, {
      variableNames: ['x', 'dy', 'movingMean', 'movingVar'],
      layout,
      slicePrelude: `let mean = movingMean[slot];
          let invStd = inverseSqrt(movingVar[slot] + uniforms.epsilon);`,
      uniforms: 'epsilon : f32,',
      terms: ['dy[i] * (x[i] - mean) * invStd', 'dy[i]'],
      key,
    }, [x!, dy!, runningMean!, runningVar!], {epsilon});
    dx = run(
        backend, new BatchNormGradProgram(x!.shape, ch, false, layout.length),
        [dy!, runningVar!, gamma!], {epsilon});
  }
  const dgamma = lanes(backend, sums, [0]);
  const dbeta = lanes(backend, sums, [1]);
  disposeAll(backend, [sums]);
  return [dx, dgamma, dbeta];
}

export const msBatchNormGradConfig = webgpuKernelConfig(MsBatchNormGrad, msBatchNormGrad);
