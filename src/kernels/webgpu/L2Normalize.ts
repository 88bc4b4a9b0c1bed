// SPDX-License-Identifier: Apache-2.0
import {TensorInfo} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeInputs} from '../../kernel_names';
import {reduceView} from '../../util/reduce_view';
import {L2NormalizeProgram} from './l2_normalize_webgpu';
import {run, sliceSums} from './run_programs';
import {SliceLayout} from './slice_layout';
import {disposeAll, filled, sizeOf, view, WebGPUKernelArgs, webgpuKernelConfig} from './webgpu_util';

// MindSpore L2Normalize: out = x / sqrt(max(sum(x^2), epsilon)) over any
// axes, on the smallest view of x with the same reduction (no transposes).
// Dispatches: sums of squares (one workgroup per slice), out.
export function msL2Normalize(args: WebGPUKernelArgs<MsL2NormalizeInputs, MsL2NormalizeAttrs>): TensorInfo {
  const {inputs: {x}, backend, attrs: {axis, epsilon}} = args;
  if (sizeOf(x!.shape) === 0) {
    return filled(backend, x!.shape);
  }
  const {shape, axes} = reduceView(x!.shape, axis);
  const layout = new SliceLayout(shape, axes);
  const sums = sliceSums(
      backend, {variableNames: ['x'], layout, terms: ['x[i] * x[i]'], key: 'l2'}, [x!]);
  const out = run(backend, new L2NormalizeProgram(layout), [view(x!, shape), sums], {epsilon});
  disposeAll(backend, [sums]);
  return view(out, x!.shape);
}

export const msL2NormalizeConfig = webgpuKernelConfig(MsL2Normalize, msL2Normalize);
