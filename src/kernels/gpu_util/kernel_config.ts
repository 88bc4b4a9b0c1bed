// SPDX-License-Identifier: Apache-2.0
import {KernelConfig, KernelFunc} from '@tensorflow/tfjs-core';

/** A GPU kernel's arguments, typed by its backend, inputs and attributes. */
export interface GpuKernelArgs<B, I, A> {
  inputs: I;
  backend: B;
  attrs: A;
}

/**
 * The KernelConfig of a kernel function typed with GpuKernelArgs (tfjs's
 * KernelFunc takes untyped inputs and attrs, hence the cast, made once here).
 */
export function gpuKernelConfig(
    backendName: 'webgl'|'webgpu', kernelName: string, kernelFunc: unknown): KernelConfig {
  return {kernelName, backendName, kernelFunc: kernelFunc as KernelFunc};
}
