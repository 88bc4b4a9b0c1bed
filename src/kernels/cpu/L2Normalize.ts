// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {blockCombine, blockDot, combineBySlice, forEachSliceBlock, reducePlan, sliceDot} from './reduce_plan';

// MindSpore L2Normalize: out = x / sqrt(max(sum(x^2), epsilon)); epsilon clamps
// the sum of squares, not the norm. Two passes: sum of squares, then scale;
// for contiguous axes both run per cache-sized block of slices.
export function msL2Normalize(
    args: CpuKernelArgs<MsL2NormalizeInputs, MsL2NormalizeAttrs>): TensorInfo {
  const {inputs: {x}, backend, attrs: {axis, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const plan = reducePlan(x!.shape, axis);
  const invNorm = new Float64Array(plan.numSlices);
  const out = new Float32Array(xVals.length);
  const toInvNorm = (from: number, to: number) => {
    for (let s = from; s < to; s++) {
      invNorm[s] = 1 / Math.sqrt(Math.max(invNorm[s], epsilon));
    }
  };
  if (plan.sliceOf != null) {
    sliceDot(plan, xVals, xVals, invNorm);
    toInvNorm(0, invNorm.length);
    combineBySlice(plan, out, xVals, invNorm);
  } else if (plan.reduce > 0) {
    forEachSliceBlock(plan, block => {
      blockDot(plan, block, xVals, xVals, invNorm);
      toInvNorm(block.slot0, block.slot0 + block.width);
      blockCombine(plan, block, out, xVals, invNorm);
    });
  }
  return backend.makeTensorInfo(x!.shape, 'float32', out);
}

export const MsL2NormalizeConfig = cpuKernelConfig(MsL2Normalize, msL2Normalize);
