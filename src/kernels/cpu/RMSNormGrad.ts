// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsRMSNormGrad, MsRMSNormGradAttrs, MsRMSNormGradInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {rmsNormRows} from './RMSNorm';

// MindSpore RmsNormGrad(dy, x, rstd, gamma), per row of M values with the
// forward's rstd (float64 sums):
//   dx     = rstd * dy * gamma - x * rstd^3 * sum(dy * gamma * x) / M
//   dgamma = sum over rows of dy * x * rstd
// Outputs [dx, dgamma].
export function msRMSNormGrad(
    args: CpuKernelArgs<MsRMSNormGradInputs, MsRMSNormGradAttrs>): TensorInfo[] {
  const {inputs: {dy, x, rstd, gamma}, backend} = args;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const rVals = valuesOf(backend, rstd!);
  const gVals = valuesOf(backend, gamma!);
  const {rows, rowSize} = rmsNormRows(x!.shape, gamma!.shape.length);
  const dx = new Float32Array(xVals.length);
  const dgamma = new Float64Array(rowSize);
  for (let r = 0, start = 0; r < rows; r++, start += rowSize) {
    const s = rVals[r];
    let dot = 0;
    for (let i = 0; i < rowSize; i++) {
      const dyx = dyVals[start + i] * xVals[start + i];
      dot += dyx * gVals[i];
      dgamma[i] += dyx * s;
    }
    const k = s * s * s * dot / rowSize;
    for (let i = 0; i < rowSize; i++) {
      dx[start + i] = s * dyVals[start + i] * gVals[i] - xVals[start + i] * k;
    }
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', dx),
    backend.makeTensorInfo(gamma!.shape, 'float32', Float32Array.from(dgamma)),
  ];
}

export const MsRMSNormGradConfig = cpuKernelConfig(MsRMSNormGrad, msRMSNormGrad);
