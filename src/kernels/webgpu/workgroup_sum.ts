// SPDX-License-Identifier: Apache-2.0
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import {SliceLayout} from './slice_layout';
import {WORKGROUP_INDEX} from './webgpu_util';

/**
 * How a reduction program covers its slices: one workgroup per slice
 * (`threads` threads striding over it, then a tree reduction), or, for many
 * short slices, one thread per slice (no shared memory, no barriers).
 */
export interface ReductionPlan {
  threadPerSlice: boolean;
  /** Threads per workgroup. */
  threads: number;
}

/** Threads per workgroup in the thread-per-slice scheme. */
const SLICES_PER_WORKGROUP = 64;

export function reductionPlan(threadPerSlice: boolean, threads: number):
    ReductionPlan {
  return threadPerSlice ? {threadPerSlice, threads: SLICES_PER_WORKGROUP} :
                          {threadPerSlice, threads};
}

/** The program's dispatch and workgroup size for a plan. */
export function planDispatch(plan: ReductionPlan, slices: number):
    {dispatch: [number, number, number], workgroupSize: [number, number, number]} {
  return {
    dispatch: [plan.threadPerSlice ? Math.ceil(slices / plan.threads) : slices, 1, 1],
    workgroupSize: [plan.threads, 1, 1],
  };
}

/**
 * WGSL for a plan: `sliceIndex(index)` (the slice this invocation works on),
 * `laneIndex()` (where it starts in the slice), `STRIDE` (its step), and
 * `workgroupSum(v)` (the slice's total, to every lane).
 */
export function reductionCode(plan: ReductionPlan): string {
  if (plan.threadPerSlice) {
    return `
      fn sliceIndex(index : i32) -> i32 { return index; }
      fn laneIndex() -> i32 { return 0; }
      const STRIDE = 1;
      fn workgroupSum(v : vec4<f32>) -> vec4<f32> { return v; }
    `;
  }
  return `
    ${WORKGROUP_INDEX}
    fn sliceIndex(index : i32) -> i32 { return workgroupIndex(); }
    fn laneIndex() -> i32 { return i32(localIndex); }
    const STRIDE = ${plan.threads};
    ${workgroupSumFn(plan.threads)}
  `;
}

/**
 * WGSL `fn workgroupSum(v: vec4<f32>) -> vec4<f32>`: the sum of every
 * thread's v, returned to all threads, by a tree reduction in shared memory
 * (`size` a power of two). Call it from uniform control flow: it has barriers.
 */
export function workgroupSumFn(size: number): string {
  return `
    var<workgroup> partialSums : array<vec4<f32>, ${size}>;

    fn workgroupSum(v : vec4<f32>) -> vec4<f32> {
      let tid = localIndex;
      partialSums[tid] = v;
      workgroupBarrier();
      for (var stride = ${size / 2}u; stride > 0u; stride = stride >> 1u) {
        if (tid < stride) {
          partialSums[tid] = partialSums[tid] + partialSums[tid + stride];
        }
        workgroupBarrier();
      }
      let total = partialSums[0];
      // Everyone has read the total before the next call overwrites it.
      workgroupBarrier();
      return total;
    }
  `;
}

/**
 * The WebGPUProgram fields of a reduction over the slices of a layout
 * dispatched by a plan (MomentsProgram, SliceSumsProgram): output
 * [slices, 4], one vec4 a slice; tfjs's `size` uniform holds the number of slices.
 */
export abstract class SliceReductionProgram implements WebGPUProgram {
  abstract variableNames: string[];
  variableComponents: number[];
  outputShape: number[];
  outputComponent = 4;
  shaderKey: string;
  dispatchLayout = {x: [0, 1]};
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size = true;
  uniforms?: string;

  /** `name` and `key` make the shader key, with the plan's. */
  constructor(
      protected readonly layout: SliceLayout, protected readonly plan: ReductionPlan,
      variableComponents: number[], name: string, key: string) {
    this.variableComponents = variableComponents;
    this.outputShape = [layout.slices, 4];
    ({dispatch: this.dispatch, workgroupSize: this.workgroupSize} =
         planDispatch(plan, layout.slices));
    this.shaderKey = `${name}_${key}_${layout.key}_${plan.threadPerSlice}_${plan.threads}`;
  }

  abstract getUserCode(): string;
}
