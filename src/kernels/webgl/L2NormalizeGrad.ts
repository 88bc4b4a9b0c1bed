// SPDX-License-Identifier: Apache-2.0
import {env, TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsL2NormalizeGrad, MsL2NormalizeGradAttrs, MsL2NormalizeGradInputs} from '../../kernel_names';
import {reduceView} from '../../util/reduce_view';

import {L2NormalizeGradProgram} from './l2_normalize_grad_gpu';
import {sliceSum} from './slice_sum';
import {FUSED_REDUCE_MAX} from './webgl_flags';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore L2NormalizeGrad with d = sqrt(max(sum x^2, eps)):
//   dx = dy / d - x * sum(x * dy) / d^3   (dx = dy / d where the clamp is active).
// Passes: 1 for short slices (each output sums its slice); else 2: one
// reduction program yielding both sum(x^2) and sum(x * dy), then dx.
export function msL2NormalizeGrad(
    args: WebGLKernelArgs<MsL2NormalizeGradInputs, MsL2NormalizeGradAttrs>): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {axis, epsilon}} = args;
  const {shape, axes} = reduceView(x!.shape, axis);
  if (util.sizeFromShape(shape) === 0) {
    return filled(backend, x!.shape);
  }
  const temps: TensorInfo[] = [];
  const inputs = [unpackedView(backend, x!, shape, temps), unpackedView(backend, dy!, shape, temps)];
  const reduceSize = util.sizeFromShape(axes.map(a => shape[a]));
  if (reduceSize <= env().getNumber(FUSED_REDUCE_MAX)) {
    const dx = backend.runWebGLProgram(
        new L2NormalizeGradProgram(shape, axes, true), inputs, 'float32', [[epsilon]]);
    disposeAll(backend, temps);
    return view(dx, x!.shape);
  }
  const coords = shape.map((_, i) => `i${i}`).join(', ');
  const sums = sliceSum(backend, inputs, {
    variableNames: ['x', 'dy'],
    shape,
    axes,
    elementPrelude: `float xv = getX(${coords});`,
    terms: ['xv * xv', `xv * getDy(${coords})`],
  });
  const dx = backend.runWebGLProgram(
      new L2NormalizeGradProgram(shape, axes, false), [...inputs, sums], 'float32', [[epsilon]]);
  disposeAll(backend, [sums, ...temps]);
  return view(dx, x!.shape);
}

export const MsL2NormalizeGradConfig = webglKernelConfig(MsL2NormalizeGrad, msL2NormalizeGrad);
