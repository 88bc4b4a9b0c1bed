// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import {TensorInfo} from '@tensorflow/tfjs-core';

import {ElementwiseProgram} from './elementwise_webgpu';
import {LaneProgram} from './lane_webgpu';
import {MomentsProgram} from './moments_webgpu';
import {SliceLayout} from './slice_layout';
import {SliceSumsProgram, SliceSumsSpec} from './slice_sums_webgpu';
import {floatUniforms, isSoftwareAdapter, reductionWorkgroupSize, sizeOf, threadPerSlice, view} from './webgpu_util';
import {reductionPlan, ReductionPlan} from './workgroup_sum';

/**
 * Runs a float32 program with named float uniforms (declared by the program
 * in the same order). The programs index their inputs flatly, so the inputs
 * go in as flat views (tfjs declares each input's shape in the shader, up to
 * rank 6); an element-wise program's output comes back in its logical shape.
 */
export function run(
    backend: WebGPUBackend, program: WebGPUProgram, inputs: TensorInfo[],
    uniforms: Record<string, number> = {}): TensorInfo {
  const flat = inputs.map(t => view(t, [sizeOf(t.shape)]));
  const out = backend.runWebGPUProgram(program, flat, 'float32', floatUniforms(uniforms).values);
  return program instanceof ElementwiseProgram ? view(out, program.logicalShape) : out;
}

/** How a reduction over `layout` runs on this backend's adapter. */
function planFor(backend: WebGPUBackend, layout: SliceLayout): ReductionPlan {
  const software = isSoftwareAdapter(backend);
  return reductionPlan(
      threadPerSlice(layout.slices, layout.length, software),
      reductionWorkgroupSize(layout.length, software));
}

/** [slices, 4] statistics of x's slices (see MomentsProgram). */
export function moments(
    backend: WebGPUBackend, x: TensorInfo, layout: SliceLayout, epsilon: number): TensorInfo {
  return run(backend, new MomentsProgram(layout, planFor(backend, layout)), [view(x, layout.shape)],
             {epsilon});
}

/** [slices, 4] sums of spec.terms over each slice (see SliceSumsProgram). */
export function sliceSums(
    backend: WebGPUBackend, spec: SliceSumsSpec, inputs: TensorInfo[],
    uniforms: Record<string, number> = {}): TensorInfo {
  return run(backend, new SliceSumsProgram(spec, planFor(backend, spec.layout)), inputs, uniforms);
}

/** A [slices] tensor of the sum of `lanes` of each row of a [slices, 4] result. */
export function lanes(backend: WebGPUBackend, rows: TensorInfo, which: number[], shape?: number[]):
    TensorInfo {
  const slices = rows.shape[0];
  const out = run(backend, new LaneProgram(slices, which), [rows]);
  return shape != null ? view(out, shape) : out;
}
