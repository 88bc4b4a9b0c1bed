// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNormGrad, MsRMSNormGradAttrs, MsRMSNormGradInputs} from '../../kernel_names';
import {rmsNormRows} from '../gpu_util/rms_norm_rows';
import {RMSNormGradProgram} from './rms_norm_webgpu';
import {lanes, run, sliceSums} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore RmsNormGrad(dy, x, rstd, gamma) per row of M values, with the forward's rstd:
//   dx = rstd * dy * gamma - x * rstd^3 * sum(dy * gamma * x) / M
//   dgamma = sum over rows of dy * x * rstd
// Outputs [dx, dgamma]. Dispatches: row dots, dx, column sums, one small one.
export function msRMSNormGrad(args: WebGPUKernelArgs<MsRMSNormGradInputs, MsRMSNormGradAttrs>):
    TensorInfo[] {
  const {inputs: {dy, x, rstd, gamma}, backend} = args;
  const {rows, rowSize} = rmsNormRows(x!.shape, gamma!.shape.length);
  if (rows * rowSize === 0) {
    return [filled(backend, x!.shape), filled(backend, gamma!.shape)];
  }
  const dots = sliceSums(backend, {
    variableNames: ['x', 'dy', 'gamma'],
    layout: new SliceLayout([rows, rowSize], [1]),
    terms: [`dy[i] * gamma[i % ${rowSize}] * x[i]`],
    key: `rmsDots${rowSize}`,
  }, [x!, dy!, gamma!]);
  const dx = run(
      backend, new RMSNormGradProgram(x!.shape, rowSize), [x!, dy!, rstd!, gamma!, dots]);
  const columns = sliceSums(backend, {
    variableNames: ['x', 'dy', 'rstd'],
    layout: new SliceLayout([rows, rowSize], [0]),
    terms: [`dy[i] * x[i] * rstd[i / ${rowSize}]`],
    key: `rmsColumns${rowSize}`,
  }, [x!, dy!, rstd!]);
  const dgamma = lanes(backend, columns, [0], gamma!.shape);
  disposeAll(backend, [dots, columns]);
  return [dx, dgamma];
}

export const msRMSNormGradConfig = webgpuKernelConfig(MsRMSNormGrad, msRMSNormGrad);
