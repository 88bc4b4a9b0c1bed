import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeInputs} from '../../kernel_names';
import {valuesOf} from './cpu_util';
import {combineBySlice, reducePlan, sliceDot} from './reduce_plan';

// MindSpore L2Normalize: out = x / sqrt(max(sum(x^2), epsilon)); epsilon clamps
// the sum of squares, not the norm. Two passes: sum of squares, then scale.
export function msL2Normalize(args: {
  inputs: MsL2NormalizeInputs,
  backend: MathBackendCPU,
  attrs: MsL2NormalizeAttrs,
}): TensorInfo {
  const {inputs: {x}, backend, attrs: {axis, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const plan = reducePlan(x!.shape, axis);
  const invNorm = new Float64Array(plan.numSlices);
  sliceDot(plan, xVals, xVals, invNorm);
  for (let s = 0; s < invNorm.length; s++) {
    invNorm[s] = 1 / Math.sqrt(Math.max(invNorm[s], epsilon));
  }
  const out = new Float32Array(xVals.length);
  combineBySlice(plan, out, xVals, invNorm);
  return backend.makeTensorInfo(x!.shape, 'float32', out);
}

export const msL2NormalizeConfig: KernelConfig = {
  kernelName: MsL2Normalize,
  backendName: 'cpu',
  kernelFunc: msL2Normalize as unknown as KernelFunc,
};
