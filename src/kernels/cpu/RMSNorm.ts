// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNorm, MsRMSNormAttrs, MsRMSNormInputs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {rangeSquaredDeviation} from './row_math';

/** x as rows of gamma.size values (the last gamma.rank axes), and rstd's shape. */
export function rmsNormRows(xShape: number[], gammaRank: number):
    {rows: number, rowSize: number, rstdShape: number[]} {
  const lead = xShape.length - gammaRank;
  return {
    rows: sizeOfDims(xShape, 0, lead),
    rowSize: sizeOfDims(xShape, lead),
    rstdShape: xShape.map((d, i) => (i < lead ? d : 1)),
  };
}

// MindSpore RmsNorm (ops.rms_norm): per row of the last gamma.rank axes,
//   rstd = 1 / sqrt(mean(x^2) + eps),  y = x * rstd * gamma.
// Outputs [y, rstd]; rstd keeps x's rank with the normalized axes set to 1.
export function msRMSNorm(args: CpuKernelArgs<MsRMSNormInputs, MsRMSNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma}, backend, attrs: {epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const gVals = valuesOf(backend, gamma!);
  const {rows, rowSize, rstdShape} = rmsNormRows(x!.shape, gamma!.shape.length);
  const y = new Float32Array(xVals.length);
  const rstd = new Float32Array(rows);
  for (let r = 0, start = 0; r < rows; r++, start += rowSize) {
    // The mean square: the squared deviation from 0.
    const meanSquare = rangeSquaredDeviation(xVals, start, start + rowSize, 0) / rowSize;
    const scale = 1 / Math.sqrt(meanSquare + epsilon);
    rstd[r] = scale;
    for (let i = 0; i < rowSize; i++) {
      y[start + i] = xVals[start + i] * scale * gVals[i];
    }
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', y),
    backend.makeTensorInfo(rstdShape, 'float32', rstd),
  ];
}

export const MsRMSNormConfig = cpuKernelConfig(MsRMSNorm, msRMSNorm);
