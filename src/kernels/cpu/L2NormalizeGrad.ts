// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2NormalizeGrad, MsL2NormalizeGradAttrs, MsL2NormalizeGradInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {blockCombine, blockDot, combineBySlice, forEachSliceBlock, reducePlan, sliceDot} from './reduce_plan';

// MindSpore L2NormalizeGrad with d = sqrt(max(sum x^2, eps)), y = x / d:
//   dx = (dy - y * sum(y * dy)) / d = dy / d - x * sum(x * dy) / d^3,
// and dx = dy / d where the clamp is active (d is then a constant).
export function msL2NormalizeGrad(
    args: CpuKernelArgs<MsL2NormalizeGradInputs, MsL2NormalizeGradAttrs>): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {axis, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const plan = reducePlan(x!.shape, axis);
  // sumSq becomes 1/d and sumXDy the projection coefficient, slice by slice.
  const invNorm = new Float64Array(plan.numSlices);
  const proj = new Float64Array(plan.numSlices);
  const dx = new Float32Array(xVals.length);
  const coefficients = (from: number, to: number) => {
    for (let s = from; s < to; s++) {
      const sumSq = invNorm[s];
      const clamped = sumSq < epsilon;
      const inv = 1 / Math.sqrt(clamped ? epsilon : sumSq);
      proj[s] = clamped ? 0 : proj[s] * inv * inv * inv;
      invNorm[s] = inv;
    }
  };
  if (plan.sliceOf != null) {
    sliceDot(plan, xVals, xVals, invNorm);
    sliceDot(plan, xVals, dyVals, proj);
    coefficients(0, invNorm.length);
    combineBySlice(plan, dx, dyVals, invNorm, xVals, proj);
  } else if (plan.reduce > 0) {
    forEachSliceBlock(plan, block => {
      blockDot(plan, block, xVals, xVals, invNorm);
      blockDot(plan, block, xVals, dyVals, proj);
      coefficients(block.slot0, block.slot0 + block.width);
      blockCombine(plan, block, dx, dyVals, invNorm, xVals, proj);
    });
  }
  return backend.makeTensorInfo(x!.shape, 'float32', dx);
}

export const MsL2NormalizeGradConfig = cpuKernelConfig(MsL2NormalizeGrad, msL2NormalizeGrad);
