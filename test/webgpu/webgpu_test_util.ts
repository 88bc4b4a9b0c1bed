// SPDX-License-Identifier: Apache-2.0
/**
 * Node-side helpers for the WebGPU suites: one Chromium (with
 * --enable-unsafe-webgpu) per test file, the webgpu backend asserted, and
 * wrappers that assert no validation error and no leak for every run.
 */
import {Page} from 'playwright-core';

import {Harness, launchHarness} from '../webgl/browser';
import type {GradRun, KernelRun, MemoryTrace, OpRun, RunResult, TensorSpec, WireTensor} from '../webgl/page';
import type {Scoped, WebGPUInfo} from './page_webgpu';

export type {GradRun, KernelRun, MemoryTrace, OpRun, TensorSpec};

export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu'];

const LAUNCH_TIMEOUT_MS = 90000;

function toWire(spec: TensorSpec|WireTensor): WireTensor {
  if ('data' in spec) {
    return spec;
  }
  return {data: Buffer.from(new Float32Array(spec.values).buffer).toString('base64'), shape: spec.shape};
}

function fromWire(t: WireTensor): TensorSpec {
  const bytes = Buffer.from(t.data, 'base64');
  return {
    values: Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)),
    shape: t.shape,
  };
}

function wireRun<R extends KernelRun>(run: R): R {
  const inputs = Object.fromEntries(Object.entries(run.inputs).map(([k, v]) => [k, toWire(v)]));
  const wired = {...run, inputs};
  return 'dy' in run ? {...wired, dy: toWire((run as unknown as GradRun).dy)} : wired;
}

export interface WebGPUHarness {
  readonly page: Page;
  readonly info: WebGPUInfo;
}

/** Launches one browser for the test file, with the webgpu backend selected and asserted. */
export function useWebGPUHarness(): WebGPUHarness {
  let harness: Harness|undefined;
  let info: WebGPUInfo|undefined;
  beforeAll(async () => {
    harness = await launchHarness({extraArgs: WEBGPU_FLAGS});
    info = await harness.page.evaluate(() => window.webgpu.setUp());
    if (info.backend !== 'webgpu') {
      throw new Error(`expected the webgpu backend in Chromium, got '${info.backend}'`);
    }
  }, LAUNCH_TIMEOUT_MS);
  afterAll(async () => {
    await harness?.close();
  });
  return {
    get page() {
      if (harness == null) {
        throw new Error('the browser harness did not start (see the beforeAll error)');
      }
      return harness.page;
    },
    get info() {
      return info!;
    },
  };
}

function checked(scoped: Scoped<RunResult>, what: string): TensorSpec[] {
  const {result, validationErrors} = scoped;
  expect({what, validationErrors, ...result.leaks})
      .toEqual({what, validationErrors: [], tensors: 0, dataBuffers: 0});
  return result.outputs.map(fromWire);
}

/** Runs a kernel in the page; asserts no WebGPU validation error and no leak. */
export async function runKernel(page: Page, run: KernelRun): Promise<TensorSpec[]> {
  const scoped = await page.evaluate(r => window.webgpu.runKernel(r), wireRun(run));
  return checked(scoped, `${run.kernel} on ${run.backend}`);
}

/** tf.grads of one kernel output in the page; asserts no validation error and no leak. */
export async function gradKernel(page: Page, run: GradRun): Promise<TensorSpec[]> {
  const scoped = await page.evaluate(r => window.webgpu.gradKernel(r), wireRun(run));
  return checked(scoped, `gradient of ${run.kernel} on ${run.backend}`);
}

/** Calls a public op in the page; asserts no validation error and no leak. */
export async function runOp(page: Page, run: OpRun): Promise<TensorSpec[]> {
  const args = run.args.map(
      a => (typeof a === 'object' && a != null && 'tensor' in a ?
                {tensor: toWire((a as {tensor: TensorSpec}).tensor)} :
                a));
  const scoped = await page.evaluate(r => window.webgpu.runOp(r), {...run, args});
  return checked(scoped, `${run.op} on ${run.backend}`);
}

/** Memory after each of `times` runs; asserts no validation error. */
export async function memoryTrace(page: Page, run: KernelRun|GradRun, times: number):
    Promise<MemoryTrace> {
  const scoped = await page.evaluate(
      ([r, n]) => window.webgpu.memoryTrace(r, n), [wireRun(run), times] as const);
  expect(scoped.validationErrors).toEqual([]);
  return scoped.result;
}

/**
 * |actual - expected| <= tol * scale everywhere, scale = max(1, max |expected|):
 * "within tol relative to the output's scale". Reports the worst element.
 */
export function expectWithinScale(
    actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect({what, length: actual.length}).toEqual({what, length: expected.length});
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  const relative = worst / scale;
  expect({what, relative: relative <= tol ? 'ok' : relative, at, actual: actual[at], expected: expected[at]})
      .toEqual({what, relative: 'ok', at, actual: actual[at], expected: expected[at]});
}
