// SPDX-License-Identifier: Apache-2.0
/**
 * The runners every backend's specs go through, in Node (cpu, wasm) and in
 * Chromium (webgl, webgpu: bundled by page_entry.ts). Every function takes and
 * returns plain data: tensors are built from {values, shape}, read back with
 * data(), and disposed before returning, so `page.evaluate` never sees a
 * tensor. Memory counters are measured around each run so the caller can
 * assert that nothing leaked.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as ms from '../../src';
import {BackendInfo, selectBackend} from '../../tools/backend_setup';

import {inGpuErrorScope, withoutGpuErrors} from './gpu_error_scope';

/** A tfjs backend name ('cpu', 'wasm', 'webgl', 'webgpu', ...). */
export type BackendName = string;

export interface TensorSpec {
  values: number[];
  shape: number[];
}

/**
 * Tensor data as float32 little-endian bytes in base64: page.evaluate moves a
 * string about 20x faster than an array of numbers (measured: 32K values
 * 13 ms vs 230-320 ms each way). Outputs always come back in this form.
 */
export interface WireTensor {
  data: string;
  shape: number[];
}

export type TensorArg = TensorSpec|WireTensor;

/** One kernel call through the engine (so gradients and memory tracking apply). */
export interface KernelRun {
  backend: BackendName;
  kernel: string;
  inputs: Record<string, TensorArg>;
  attrs?: Record<string, unknown>;
  /**
   * Feed the inputs as outputs of another op (tf.add): on webgl these are
   * packed textures (asserted), which the kernels must read correctly.
   */
  packedInputs?: boolean;
  /** tfjs environment flags set for this run only (e.g. the kernels' tuning switches). */
  flags?: Record<string, number|boolean>;
}

/** Gradients of sum(output[outputIndex] * dy) with respect to the `wrt` inputs. */
export interface GradRun extends KernelRun {
  wrt: string[];
  dy: TensorArg;
  outputIndex?: number;
}

/** A public op of this package (`ms[op](...args)`); {tensor: TensorArg} args become tensors. */
export interface OpRun {
  backend: BackendName;
  op: string;
  args: unknown[];
}

export interface Leaks {
  /** Change of tf.memory().numTensors across the run (0 when nothing leaked). */
  tensors: number;
  /** Change of tf.memory().numDataBuffers (catches leaked intermediate TensorInfos). */
  dataBuffers: number;
}

export interface RunResult {
  outputs: WireTensor[];
  leaks: Leaks;
  /** WebGPU validation errors raised during the run (see gpu_error_scope.ts); [] elsewhere. */
  gpuErrors: string[];
}

/** Memory after each of `times` repeated runs (outputs disposed each time). */
export interface MemoryTrace {
  numTensors: number[];
  numDataBuffers: number[];
  numBytesInGPU: number[];
  /** As RunResult.gpuErrors, over all the runs. */
  gpuErrors: string[];
}

export type WebGLInfo = BackendInfo;

export function decode(data: string): Float32Array {
  const bytes = Uint8Array.from(atob(data), ch => ch.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

export function encode(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function toTensor(arg: TensorArg): tf.Tensor {
  const values = 'data' in arg ? decode(arg.data) : arg.values;
  return tf.tensor(values, arg.shape, 'float32');
}

async function readAndDispose(ts: tf.Tensor[]): Promise<WireTensor[]> {
  const out: WireTensor[] = [];
  for (const t of ts) {
    out.push({data: encode(Float32Array.from(await t.data())), shape: t.shape.slice()});
  }
  tf.dispose(ts);
  return out;
}

export async function useBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() !== name) {
    await tf.setBackend(name);
  }
  if (tf.getBackend() !== name) {
    throw new Error(`could not switch to the ${name} backend`);
  }
}

function counters(): {tensors: number, dataBuffers: number} {
  const m = tf.memory();
  return {tensors: m.numTensors, dataBuffers: m.numDataBuffers};
}

/** Runs fn between two memory snapshots (taken on the run's backend), on webgpu in an error scope. */
async function measured(backend: BackendName, fn: () => Promise<WireTensor[]>):
    Promise<RunResult> {
  await useBackend(backend);
  const before = counters();
  const {result: outputs, gpuErrors} = await inGpuErrorScope(backend, fn);
  const after = counters();
  return {
    outputs,
    leaks: {tensors: after.tensors - before.tensors, dataBuffers: after.dataBuffers - before.dataBuffers},
    gpuErrors,
  };
}

function callKernel(run: KernelRun, inputs: Record<string, tf.Tensor>): tf.Tensor[] {
  const out = tf.engine().runKernel(run.kernel, inputs as {}, (run.attrs ?? {}) as {});
  return Array.isArray(out) ? out as tf.Tensor[] : [out as tf.Tensor];
}

interface WebGLTexData {
  texData: {get(id: object): {isPacked?: boolean}};
}

/** A copy of t made by an op; on webgl a packed program, so its texture is packed. */
function packed(t: tf.Tensor): tf.Tensor {
  const out = tf.add(t, tf.scalar(0));
  if (tf.getBackend() !== 'webgl') {
    return out;
  }
  const isPacked = (tf.backend() as unknown as WebGLTexData).texData.get(out.dataId).isPacked;
  if (!isPacked) {
    throw new Error('expected tf.add to produce a packed texture (WEBGL_PACK off?)');
  }
  return out;
}

function makeInputs(run: KernelRun): Record<string, tf.Tensor> {
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, spec] of Object.entries(run.inputs)) {
    inputs[name] = run.packedInputs ? tf.tidy(() => packed(toTensor(spec))) : toTensor(spec);
  }
  return inputs;
}

/** Sets run.flags, runs fn, and restores the previous values. */
export async function withFlags<T>(flags: Record<string, number|boolean>|undefined, fn: () => Promise<T>):
    Promise<T> {
  const saved = Object.keys(flags ?? {}).map(name => [name, tf.env().get(name)] as const);
  for (const [name, value] of Object.entries(flags ?? {})) {
    tf.env().set(name, value);
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of saved) {
      tf.env().set(name, value);
    }
  }
}

/** Makes the run's inputs, computes outputs from them, and reads them back (nothing kept). */
function runWith<R extends KernelRun>(
    run: R, compute: (run: R, inputs: Record<string, tf.Tensor>) => tf.Tensor[]): Promise<RunResult> {
  return withFlags(run.flags, () => measured(run.backend, async () => {
    const inputs = makeInputs(run);
    const outputs = compute(run, inputs);
    tf.dispose(Object.values(inputs));
    return readAndDispose(outputs);
  }));
}

export function runKernel(run: KernelRun): Promise<RunResult> {
  return runWith(run, callKernel);
}

function gradients(run: GradRun, inputs: Record<string, tf.Tensor>): tf.Tensor[] {
  const dy = toTensor(run.dy);
  const f = (...xs: tf.Tensor[]) => {
    const args = {...inputs};
    run.wrt.forEach((name, i) => {
      args[name] = xs[i];
    });
    return callKernel(run, args)[run.outputIndex ?? 0];
  };
  const grads = tf.grads(f)(run.wrt.map(name => inputs[name]), dy);
  dy.dispose();
  return grads;
}

export function gradKernel(run: GradRun): Promise<RunResult> {
  return runWith(run, gradients);
}

function isTensorArg(a: unknown): a is {tensor: TensorArg} {
  return typeof a === 'object' && a != null && 'tensor' in a;
}

export async function runOp(run: OpRun): Promise<RunResult> {
  return measured(run.backend, async () => {
    const created: tf.Tensor[] = [];
    const args = run.args.map(a => {
      if (isTensorArg(a)) {
        const t = toTensor(a.tensor);
        created.push(t);
        return t;
      }
      return a;
    });
    const fn = (ms as unknown as Record<string, (...a: unknown[]) => unknown>)[run.op];
    const result = fn(...args);
    tf.dispose(created);
    const outputs = result instanceof tf.Tensor ? [result] :
        Array.isArray(result) ? result as tf.Tensor[] :
                                Object.values(result as Record<string, tf.Tensor>);
    return readAndDispose(outputs);
  });
}

/**
 * Runs a kernel (or its gradient, when `wrt` is given) `times` times on the
 * run's backend with the same inputs, disposing the outputs each time, and
 * records the memory counters after each run.
 */
export async function memoryTrace(run: KernelRun|GradRun, times: number): Promise<MemoryTrace> {
  return withFlags(run.flags, () => memoryTraceWithFlags(run, times));
}

async function memoryTraceWithFlags(run: KernelRun|GradRun, times: number): Promise<MemoryTrace> {
  await useBackend(run.backend);
  const {result, gpuErrors} = await inGpuErrorScope(run.backend, () => traceRuns(run, times));
  return {...result, gpuErrors};
}

async function traceRuns(run: KernelRun|GradRun, times: number):
    Promise<Omit<MemoryTrace, 'gpuErrors'>> {
  const inputs = makeInputs(run);
  const trace = {numTensors: [] as number[], numDataBuffers: [] as number[], numBytesInGPU: [] as number[]};
  for (let i = 0; i < times; i++) {
    const outputs = 'wrt' in run ? gradients(run, inputs) : callKernel(run, inputs);
    await Promise.all(outputs.map(t => t.data()));
    tf.dispose(outputs);
    const m = tf.memory() as tf.MemoryInfo & {numBytesInGPU?: number};
    trace.numTensors.push(m.numTensors);
    trace.numDataBuffers.push(m.numDataBuffers);
    trace.numBytesInGPU.push(m.numBytesInGPU ?? -1);
  }
  tf.dispose(Object.values(inputs));
  return trace;
}

/** Memory counters after every tenth of `times` awaited calls of step (after one warm-up call). */
export async function traceRepeats(step: () => Promise<void>, times: number):
    Promise<Omit<MemoryTrace, 'gpuErrors'>&{backend: string}> {
  await step();
  const trace = {numTensors: [] as number[], numDataBuffers: [] as number[],
                 numBytesInGPU: [] as number[], backend: tf.getBackend()};
  for (let i = 1; i <= times; i++) {
    await step();
    if (i % (times / 10) === 0) {
      const m = tf.memory() as tf.MemoryInfo & {numBytesInGPU?: number};
      trace.numTensors.push(m.numTensors);
      trace.numDataBuffers.push(m.numDataBuffers);
      trace.numBytesInGPU.push(m.numBytesInGPU ?? -1);
    }
  }
  return trace;
}

/**
 * Milliseconds per kernel call on the current inputs: `warmup` untimed calls
 * (shader compilation), then `reps` calls, waiting for the last result.
 */
export async function timeKernel(run: KernelRun, reps: number, warmup = 2): Promise<number> {
  return withFlags(run.flags, () => timeKernelWithFlags(run, reps, warmup));
}

async function timeKernelWithFlags(run: KernelRun, reps: number, warmup: number):
    Promise<number> {
  await useBackend(run.backend);
  const inputs = makeInputs(run);
  for (let i = 0; i < warmup; i++) {
    const outputs = callKernel(run, inputs);
    await Promise.all(outputs.map(t => t.data()));
    tf.dispose(outputs);
  }
  const start = performance.now();
  let outputs: tf.Tensor[] = [];
  for (let i = 0; i < reps; i++) {
    tf.dispose(outputs);
    outputs = callKernel(run, inputs);
  }
  await Promise.all(outputs.map(t => t.data()));
  const ms = (performance.now() - start) / reps;
  tf.dispose(outputs);
  tf.dispose(Object.values(inputs));
  return ms;
}

/** Selects a backend (on webgl: no CPU forwarding) and reports what it runs on. */
export const setUp = selectBackend;

export const pageFunctions = {
  setUp, useBackend, withFlags, withoutGpuErrors, runKernel, gradKernel, runOp, memoryTrace,
  traceRepeats, timeKernel,
};

/**
 * What specs' page functions receive (`b.evaluate((h, arg) => ...)`): in
 * Chromium it is `window.harness` (page_entry.ts), in Node the same modules.
 */
export interface PageHarness extends Readonly<typeof pageFunctions> {
  tf: typeof tf;
  tfl: typeof import('@tensorflow/tfjs-layers');
  ms: typeof ms;
  refs: typeof import('../test_util');
}
