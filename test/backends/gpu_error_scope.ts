// SPDX-License-Identifier: Apache-2.0
/**
 * WebGPU fails silently: invalid WGSL or a bad binding only logs a warning,
 * and the outputs read back as zeros. On the webgpu backend every run of the
 * runners happens inside a validation error scope, and the error it caught
 * (if any) comes back with the result for the caller to assert.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WebGPUDevice {
  pushErrorScope(filter: 'validation'): void;
  popErrorScope(): Promise<{message: string}|null>;
}

/** Runs fn; on webgpu inside a validation error scope (always popped). */
export async function inGpuErrorScope<T>(backend: string, fn: () => Promise<T>):
    Promise<{result: T, gpuErrors: string[]}> {
  if (backend !== 'webgpu') {
    return {result: await fn(), gpuErrors: []};
  }
  const device = (tf.findBackend('webgpu') as unknown as {device: WebGPUDevice}).device;
  device.pushErrorScope('validation');
  let result: T|undefined;
  let failure: unknown;
  try {
    result = await fn();
  } catch (e) {
    failure = e;
  }
  const error = await device.popErrorScope();
  if (failure !== undefined) {
    throw failure;
  }
  return {result: result as T, gpuErrors: error != null ? [error.message] : []};
}

/** inGpuErrorScope for code that returns plain data: a caught error is thrown. */
export async function withoutGpuErrors<T>(backend: string, fn: () => Promise<T>): Promise<T> {
  const {result, gpuErrors} = await inGpuErrorScope(backend, fn);
  if (gpuErrors.length > 0) {
    throw new Error(`WebGPU validation error: ${gpuErrors.join('\n')}`);
  }
  return result;
}
