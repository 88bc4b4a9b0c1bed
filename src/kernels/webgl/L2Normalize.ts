// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {env, TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeAttrs, MsL2NormalizeInputs} from '../../kernel_names';
import {reduceView} from '../../util/reduce_view';

import {L2NormalizeProgram} from './l2_normalize_gpu';
import {sliceSum} from './slice_sum';
import {FUSED_REDUCE_MAX} from './webgl_flags';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore L2Normalize: out = x / sqrt(max(sum(x^2), epsilon)). Runs on the
// smallest view of x with the same reduction (any axes, no transposes).
// Passes: 1 when a slice holds <= MS_WEBGL_FUSED_REDUCE_MAX values (each
// output sums its slice); else 2 (sum of squares, then scale) plus the extra
// window stages of a long reduction over few slices (see slice_sum.ts).
export function msL2Normalize(
    args: WebGLKernelArgs<MsL2NormalizeInputs, MsL2NormalizeAttrs>): TensorInfo {
  const {inputs: {x}, backend, attrs: {axis, epsilon}} = args;
  const {shape, axes} = reduceView(x!.shape, axis);
  const temps: TensorInfo[] = [];
  const out = l2Normalize(backend, unpackedView(backend, x!, shape, temps), shape, axes, epsilon);
  disposeAll(backend, temps);
  return view(out, x!.shape);
}

function l2Normalize(
    backend: MathBackendWebGL, x: TensorInfo, shape: number[], axes: number[],
    epsilon: number): TensorInfo {
  if (util.sizeFromShape(shape) === 0) {
    return filled(backend, shape);
  }
  const reduceSize = util.sizeFromShape(axes.map(a => shape[a]));
  if (reduceSize <= env().getNumber(FUSED_REDUCE_MAX)) {
    return backend.runWebGLProgram(
        new L2NormalizeProgram(shape, axes, true), [x], 'float32', [[epsilon]]);
  }
  const sumSq = sliceSum(backend, [x], {
    variableNames: ['x'],
    shape,
    axes,
    elementPrelude: `float xv = getX(${shape.map((_, i) => `i${i}`).join(', ')});`,
    terms: ['xv * xv'],
  });
  const out = backend.runWebGLProgram(
      new L2NormalizeProgram(shape, axes, false), [x, sumSq], 'float32', [[epsilon]]);
  backend.disposeIntermediateTensorInfo(sumSq);
  return out;
}

export const MsL2NormalizeConfig = webglKernelConfig(MsL2Normalize, msL2Normalize);
