// SPDX-License-Identifier: Apache-2.0
/**
 * Page-side functions for the WebGPU suites (bundled into the browser
 * harness by test/webgl/entry.ts, on `window.webgpu`). WebGPU fails
 * silently: invalid WGSL or a bad binding only logs a warning and leaves
 * zeros, so every run here happens inside a validation error scope and
 * returns the errors it caught next to the result.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';

import {GradRun, gradKernel, KernelRun, memoryTrace, MemoryTrace, OpRun, runKernel, runOp, RunResult} from '../webgl/page';

export interface WebGPUInfo {
  backend: string;
  /** From the adapter (SwiftShader here: vendor 'google', architecture 'swiftshader'). */
  vendor: string;
  architecture: string;
}

export interface Scoped<T> {
  result: T;
  /** The first WebGPU validation error raised during the run, if any. */
  validationErrors: string[];
}

function device(): GPUDevice {
  return (tf.findBackend('webgpu') as unknown as WebGPUBackend).device;
}

/** Runs fn inside a validation error scope of the webgpu device (the scope is always popped). */
async function scoped<T>(fn: () => Promise<T>): Promise<Scoped<T>> {
  const d = device();
  d.pushErrorScope('validation');
  let result: T|undefined;
  let failure: unknown;
  try {
    result = await fn();
  } catch (e) {
    failure = e;
  }
  const error = await d.popErrorScope();
  if (failure !== undefined) {
    throw failure;
  }
  return {result: result as T, validationErrors: error != null ? [error.message] : []};
}

/**
 * Selects the webgpu backend (setBackend resolves false, not throws, with no
 * adapter: the caller asserts `backend`) and stops tfjs from computing small
 * tensors on the CPU, so every kernel runs its WGSL.
 */
export async function setUp(): Promise<WebGPUInfo> {
  const ok = await tf.setBackend('webgpu').catch(() => false);
  if (!ok) {
    return {backend: tf.getBackend(), vendor: '', architecture: ''};
  }
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  const info = (tf.backend() as unknown as {adapterInfo: Record<string, string>}).adapterInfo;
  return {backend: tf.getBackend(), vendor: info.vendor, architecture: info.architecture};
}

export const webgpuPageFunctions = {
  setUp,
  runKernel: (run: KernelRun): Promise<Scoped<RunResult>> => scoped(() => runKernel(run)),
  gradKernel: (run: GradRun): Promise<Scoped<RunResult>> => scoped(() => gradKernel(run)),
  runOp: (run: OpRun): Promise<Scoped<RunResult>> => scoped(() => runOp(run)),
  memoryTrace: (run: KernelRun|GradRun, times: number): Promise<Scoped<MemoryTrace>> =>
      scoped(() => memoryTrace(run, times)),
};

declare global {
  interface Window {
    webgpu: typeof webgpuPageFunctions;
  }
}
