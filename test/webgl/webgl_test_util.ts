/**
 * Node-side helpers for the WebGL suites: one browser per test file, and
 * wrappers around the page functions (page.ts) that assert nothing leaked.
 */
import {Page} from 'playwright-core';

import {Harness, launchHarness} from './browser';
import type {GradRun, KernelRun, MemoryTrace, OpRun, RunResult, TensorArg, TensorSpec, WireTensor} from './page';

export type {GradRun, KernelRun, MemoryTrace, OpRun, TensorSpec};

/** See WireTensor: float32 bytes in base64 cross page.evaluate far faster than number arrays. */
function toWire(arg: TensorArg): WireTensor {
  if ('data' in arg) {
    return arg;
  }
  return {data: Buffer.from(new Float32Array(arg.values).buffer).toString('base64'), shape: arg.shape};
}

function fromWire(t: WireTensor): TensorSpec {
  const bytes = Buffer.from(t.data, 'base64');
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return {values: Array.from(values), shape: t.shape};
}

function wireInputs(inputs: Record<string, TensorArg>): Record<string, WireTensor> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toWire(v)]));
}

function wireRun<R extends KernelRun>(run: R): R {
  const wired = {...run, inputs: wireInputs(run.inputs)};
  return 'dy' in run ? {...wired, dy: toWire((run as unknown as GradRun).dy)} : wired;
}

/** First launch bundles, starts Chromium and compiles tfjs's base shaders. */
const LAUNCH_TIMEOUT_MS = 90000;

/**
 * Launches one browser for the current test file (beforeAll) and closes it
 * (afterAll). Use the returned object's `page` inside tests.
 */
export function useHarness(): {readonly page: Page, readonly harness: Harness} {
  let harness: Harness|undefined;
  beforeAll(async () => {
    harness = await launchHarness();
  }, LAUNCH_TIMEOUT_MS);
  afterAll(async () => {
    await harness?.close();
  });
  return {
    get harness() {
      if (harness == null) {
        throw new Error('the browser harness did not start (see the beforeAll error)');
      }
      return harness;
    },
    get page() {
      return this.harness.page;
    },
  };
}

function expectNoLeaks(result: RunResult, what: string): TensorSpec[] {
  expect({what, ...result.leaks}).toEqual({what, tensors: 0, dataBuffers: 0});
  return result.outputs.map(fromWire);
}

/** Runs a kernel in the page; asserts that no tensor or data buffer leaked. */
export async function runKernel(page: Page, run: KernelRun): Promise<TensorSpec[]> {
  const result = await page.evaluate(r => window.harness.runKernel(r), wireRun(run));
  return expectNoLeaks(result, `${run.kernel} on ${run.backend}`);
}

/** tf.grads of one kernel output in the page; asserts that nothing leaked. */
export async function gradKernel(page: Page, run: GradRun): Promise<TensorSpec[]> {
  const result = await page.evaluate(r => window.harness.gradKernel(r), wireRun(run));
  return expectNoLeaks(result, `gradient of ${run.kernel} on ${run.backend}`);
}

/** Calls a public op of the package in the page; asserts that nothing leaked. */
export async function runOp(page: Page, run: OpRun): Promise<TensorSpec[]> {
  const args = run.args.map(
      a => (typeof a === 'object' && a != null && 'tensor' in a ?
                {tensor: toWire((a as {tensor: TensorArg}).tensor)} :
                a));
  const result = await page.evaluate(r => window.harness.runOp(r), {...run, args});
  return expectNoLeaks(result, `${run.op} on ${run.backend}`);
}

export async function memoryTrace(page: Page, run: KernelRun|GradRun, times: number):
    Promise<MemoryTrace> {
  return page.evaluate(([r, n]) => window.harness.memoryTrace(r, n), [wireRun(run), times] as const);
}

/**
 * Asserts that repeated runs hold memory steady: after a warm-up run, the
 * tensor count, data-buffer count and GPU bytes stay exactly constant.
 */
export async function expectSteadyMemory(page: Page, run: KernelRun|GradRun, times = 4):
    Promise<void> {
  const trace = await memoryTrace(page, run, times);
  const steady = (v: number[]) => v.slice(1).every(x => x === v[1]);
  expect({trace, steady: steady(trace.numTensors) && steady(trace.numDataBuffers) &&
              steady(trace.numBytesInGPU)})
      .toEqual({trace, steady: true});
  expect(trace.numBytesInGPU[0]).toBeGreaterThanOrEqual(0);
}

export function spec(values: ArrayLike<number>, shape: number[]): TensorSpec {
  return {values: Array.from(values), shape};
}
