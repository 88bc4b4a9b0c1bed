// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNorm, MsRMSNormAttrs, MsRMSNormInputs} from '../../kernel_names';
import {rmsNormRows} from '../gpu_util/rms_norm_rows';
import {RMSNormProgram, RMSNormRstdProgram} from './rms_norm_webgpu';
import {run, sliceSums} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore RmsNorm: per row (the last gamma.rank axes), rstd = 1 / sqrt(mean(x^2) + eps),
// y = x * rstd * gamma. Outputs [y, rstd]. Dispatches: sum of squares (one
// workgroup or thread per row), rstd, y. No shift: a sum of squares has no
// cancellation.
export function msRMSNorm(args: WebGPUKernelArgs<MsRMSNormInputs, MsRMSNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma}, backend, attrs: {epsilon}} = args;
  const {rows, rowSize, rstdShape} = rmsNormRows(x!.shape, gamma!.shape.length);
  if (rows * rowSize === 0) {
    // The mean square of an empty row is 0/0, as on the CPU.
    return [filled(backend, x!.shape), filled(backend, rstdShape, NaN)];
  }
  const sums = sliceSums(backend, {
    variableNames: ['x'],
    layout: new SliceLayout([rows, rowSize], [1]),
    terms: ['x[i] * x[i]'],
    key: 'rms',
  }, [x!]);
  const rstd = run(backend, new RMSNormRstdProgram(rows, rowSize), [sums], {epsilon});
  const y = run(backend, new RMSNormProgram(x!.shape, rowSize), [x!, rstd, gamma!]);
  disposeAll(backend, [sums]);
  return [y, {...rstd, shape: rstdShape}];
}

export const msRMSNormConfig = webgpuKernelConfig(MsRMSNorm, msRMSNorm);
