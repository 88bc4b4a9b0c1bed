import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2NormalizeGrad, MsL2NormalizeGradAttrs, MsL2NormalizeGradInputs} from '../../kernel_names';
import {valuesOf} from './cpu_util';
import {combineBySlice, reducePlan, sliceDot} from './reduce_plan';

// MindSpore L2NormalizeGrad with d = sqrt(max(sum x^2, eps)), y = x / d:
//   dx = (dy - y * sum(y * dy)) / d = dy / d - x * sum(x * dy) / d^3,
// and dx = dy / d where the clamp is active (d is then a constant).
export function msL2NormalizeGrad(args: {
  inputs: MsL2NormalizeGradInputs,
  backend: MathBackendCPU,
  attrs: MsL2NormalizeGradAttrs,
}): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {axis, epsilon}} = args;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const plan = reducePlan(x!.shape, axis);
  const sumSq = new Float64Array(plan.numSlices);
  const sumXDy = new Float64Array(plan.numSlices);
  sliceDot(plan, xVals, xVals, sumSq);
  sliceDot(plan, xVals, dyVals, sumXDy);
  const invNorm = sumSq;
  const proj = sumXDy;
  for (let s = 0; s < invNorm.length; s++) {
    const clamped = sumSq[s] < epsilon;
    const inv = 1 / Math.sqrt(clamped ? epsilon : sumSq[s]);
    proj[s] = clamped ? 0 : sumXDy[s] * inv * inv * inv;
    invNorm[s] = inv;
  }
  const dx = new Float32Array(xVals.length);
  combineBySlice(plan, dx, dyVals, invNorm, xVals, proj);
  return backend.makeTensorInfo(x!.shape, 'float32', dx);
}

export const msL2NormalizeGradConfig: KernelConfig = {
  kernelName: MsL2NormalizeGrad,
  backendName: 'cpu',
  kernelFunc: msL2NormalizeGrad as unknown as KernelFunc,
};
