// SPDX-License-Identifier: Apache-2.0
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

/** The backing typed array of a tensor on the CPU backend (ops guarantee float32). */
export function valuesOf(backend: MathBackendCPU, t: TensorInfo): TypedArray {
  return backend.data.get(t.dataId).values as TypedArray;
}

/**
 * Elements per cache block (2^16 float32 values, 256 KB): a block of rows a
 * kernel reads twice (statistics, then output) stays within L2 between the
 * two passes.
 */
export const BLOCK_ELEMENTS = 1 << 16;

/** A CPU kernel's arguments, typed by the kernel's inputs and attributes. */
export interface CpuKernelArgs<I, A> {
  inputs: I;
  backend: MathBackendCPU;
  attrs: A;
}

export function cpuKernelConfig(kernelName: string, kernelFunc: unknown): KernelConfig {
  return {kernelName, backendName: 'cpu', kernelFunc: kernelFunc as KernelFunc};
}
