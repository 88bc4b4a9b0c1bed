// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {LaneProgram} from './lane_webgpu';
import {MomentsProgram} from './moments_webgpu';
import {SliceLayout} from './slice_layout';
import {SliceSumsProgram, SliceSumsSpec} from './slice_sums_webgpu';
import {floatUniforms, view} from './webgpu_util';

/** Runs a float32 program with named float uniforms (declared by the program in the same order). */
export function run(
    backend: WebGPUBackend, program: WebGPUProgram, inputs: TensorInfo[],
    uniforms: Record<string, number> = {}): TensorInfo {
  return backend.runWebGPUProgram(program, inputs, 'float32', floatUniforms(uniforms).values);
}

/** [slices, 4] statistics of x's slices (see MomentsProgram). */
export function moments(
    backend: WebGPUBackend, x: TensorInfo, layout: SliceLayout, epsilon: number): TensorInfo {
  return run(backend, new MomentsProgram(layout), [view(x, layout.shape)], {epsilon});
}

/** [slices, 4] sums of spec.terms over each slice (see SliceSumsProgram). */
export function sliceSums(
    backend: WebGPUBackend, spec: SliceSumsSpec, inputs: TensorInfo[],
    uniforms: Record<string, number> = {}): TensorInfo {
  return run(backend, new SliceSumsProgram(spec), inputs, uniforms);
}

/** A [slices] tensor of the sum of `lanes` of each row of a [slices, 4] result. */
export function lanes(backend: WebGPUBackend, rows: TensorInfo, which: number[], shape?: number[]):
    TensorInfo {
  const slices = rows.shape[0];
  const out = run(backend, new LaneProgram(slices, which), [rows]);
  return shape != null ? view(out, shape) : out;
}
