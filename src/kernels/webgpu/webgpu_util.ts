// SPDX-License-Identifier: Apache-2.0
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {env, KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';

import {GpuKernelArgs, gpuKernelConfig} from '../gpu_util/kernel_config';

import {REDUCTION_WORKGROUP_SIZE, THREAD_PER_SLICE_MAX} from './webgpu_flags';

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The same buffer under another row-major shape of equal size. WebGPU
 * buffers are flat, so a view is free. It does not own its data: never
 * dispose it separately.
 */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return {dataId: t.dataId, shape, dtype: t.dtype};
}

/** Releases intermediate results of a kernel. */
export function disposeAll(backend: WebGPUBackend, infos: TensorInfo[]): void {
  for (const info of infos) {
    backend.disposeData(info.dataId);
  }
}

/** An empty float32 tensor, or one filled with `value`. */
export function filled(backend: WebGPUBackend, shape: number[], value = 0): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', new Float32Array(sizeOf(shape)).fill(value));
}

/** Float uniforms of a program: the WGSL struct fields and the values for runWebGPUProgram. */
export interface FloatUniforms {
  declaration: string;
  values: Array<{type: 'float32', data: number[]}>;
}

export function floatUniforms(values: Record<string, number>): FloatUniforms {
  const names = Object.keys(values);
  return {
    declaration: names.map(n => `${n} : f32,`).join(' '),
    values: names.map(n => ({type: 'float32' as const, data: [values[n]]})),
  };
}

/**
 * WGSL for the flat index of this invocation's workgroup. tfjs reshapes a
 * dispatch wider than the per-dimension limit (65535) into 2D or 3D, so a
 * program with one workgroup per slice must not read workgroupId.x alone.
 */
export const WORKGROUP_INDEX = `
  fn workgroupIndex() -> i32 {
    return i32((workgroupId.z * numWorkgroups.y + workgroupId.y) * numWorkgroups.x + workgroupId.x);
  }
`;

/**
 * Threads per workgroup on a software adapter (SwiftShader, which runs the
 * invocations of a workgroup as coroutines on the CPU, so every barrier
 * costs a switch per invocation). Measured at [8, 64, 32, 32]: GroupNorm,
 * InstanceNorm, BatchNorm training and their gradients 4-50x faster with 8
 * threads than with 256; 4 is slower again for the gradients.
 */
const SOFTWARE_WORKGROUP_SIZE = 8;

/** Whether the backend's adapter is SwiftShader (a CPU implementation of WebGPU). */
export function isSoftwareAdapter(backend: WebGPUBackend): boolean {
  const info = (backend as unknown as {adapterInfo?: {architecture?: string}}).adapterInfo;
  return info?.architecture === 'swiftshader';
}

/**
 * Threads per workgroup for one slice of `length` values: on a GPU about
 * eight values per thread, a power of two (for the tree reduction) from 16
 * to 256; on a software adapter SOFTWARE_WORKGROUP_SIZE. The flag
 * MS_WEBGPU_REDUCTION_WORKGROUP_SIZE overrides both.
 */
export function reductionWorkgroupSize(length: number, software: boolean): number {
  const forced = env().getNumber(REDUCTION_WORKGROUP_SIZE);
  if (forced > 0) {
    return forced;
  }
  if (software) {
    return SOFTWARE_WORKGROUP_SIZE;
  }
  let size = 16;
  while (size < 256 && size * 8 < length) {
    size *= 2;
  }
  return size;
}

/**
 * Below this many slices one thread per slice leaves the adapter idle: the
 * workgroup scheme is kept whatever the length.
 */
const THREAD_PER_SLICE_MIN_SLICES = 256;

/**
 * Whether a reduction runs one thread per slice: many short slices (e.g.
 * LayerNorm over a last axis of 32: 16384 slices), where a workgroup per
 * slice mostly waits at barriers. Up to 1024 values on a software adapter
 * (measured on SwiftShader, LayerNorm [16384, 32]: 18 ms against 166-558 ms
 * with 8-thread workgroups, its gradient 64-157 against 405-1002 ms;
 * InstanceNorm [8, 64, 32, 32]: 17 against 20-94 ms), 32 on a GPU. Flag:
 * MS_WEBGPU_THREAD_PER_SLICE_MAX.
 */
export function threadPerSlice(slices: number, length: number, software: boolean): boolean {
  const forced = env().getNumber(THREAD_PER_SLICE_MAX);
  if (forced >= 0) {
    return length <= forced;
  }
  return slices >= THREAD_PER_SLICE_MIN_SLICES && length <= (software ? 1024 : 32);
}

/** Threads per workgroup of the element-wise programs (tfjs's default). */
export const ELEMENTWISE_WORKGROUP_SIZE = 64;

/** A WebGPU kernel's arguments, typed by the kernel's inputs and attributes. */
export type WebGPUKernelArgs<I, A> = GpuKernelArgs<WebGPUBackend, I, A>;

export function webgpuKernelConfig(kernelName: string, kernelFunc: unknown): KernelConfig {
  return gpuKernelConfig('webgpu', kernelName, kernelFunc);
}

/** The part of a shader key that a program's sizes make (their values, in order). */
export function sizesKey(sizes: object): string {
  return Object.values(sizes).join('_');
}
