// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2NormalizeGrad, MsL2NormalizeGradAttrs, MsL2NormalizeGradInputs} from '../../kernel_names';
import {reduceView} from '../../util/reduce_view';
import {L2NormalizeGradProgram} from './l2_normalize_webgpu';
import {run, sliceSums} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, sizeOf, view, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore L2NormalizeGrad with d = sqrt(max(sum x^2, eps)):
//   dx = dy / d - x * sum(x * dy) / d^3   (dx = dy / d where the clamp is active).
// Dispatches: sum(x^2) and sum(x * dy) (one workgroup per slice), dx.
export function msL2NormalizeGrad(args: WebGPUKernelArgs<MsL2NormalizeGradInputs, MsL2NormalizeGradAttrs>): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {axis, epsilon}} = args;
  if (sizeOf(x!.shape) === 0) {
    return filled(backend, x!.shape);
  }
  const {shape, axes} = reduceView(x!.shape, axis);
  const layout = new SliceLayout(shape, axes);
  const sums = sliceSums(backend, {
    variableNames: ['x', 'dy'],
    layout,
    terms: ['x[i] * x[i]', 'x[i] * dy[i]'],
    key: 'l2Grad',
  }, [x!, dy!]);
  const dx = run(
      backend, new L2NormalizeGradProgram(layout), [view(x!, shape), view(dy!, shape), sums],
      {epsilon});
  disposeAll(backend, [sums]);
  return view(dx, x!.shape);
}

export const msL2NormalizeGradConfig = webgpuKernelConfig(MsL2NormalizeGrad, msL2NormalizeGrad);
