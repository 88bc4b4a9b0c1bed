// SPDX-License-Identifier: Apache-2.0
/**
 * One spec, every backend: `describeEachBackend(title, b => ...)` states a
 * behaviour once and runs it on each backend of backends.ts, in Node or in
 * Chromium, through the same async calls (tfjs's describeWithFlags(...,
 * ALL_ENVS) is the model):
 *
 *   describeEachBackend('MsLRN', b => {
 *     it('matches float64', async () => {
 *       const [y] = await b.runKernel({kernel: MsLRN, inputs: {x: spec(v, shape)}, attrs});
 *       expectClose(y.values, lrnRef(...), b.tol.rtol, b.tol.atol);
 *     });
 *   });
 *
 * Every run asserts that no tensor or data buffer leaked.
 */
import type {Page} from 'playwright-core';

import {onGpu, TestBackend, selectedBackends} from './backends';
import {acquireHarness, closeSharedHarness, Harness} from './browser_harness';
import {makeHarness} from './harness_object';
import type {GradRun, KernelRun, MemoryTrace, OpRun, PageHarness, RunResult, TensorArg, TensorSpec, WireTensor} from './runner';

import './node_backends';

export type {GradRun, KernelRun, MemoryTrace, OpRun, PageHarness, TensorSpec};

/** A run without its backend: the backend under test supplies it. */
export type Run<R extends KernelRun|OpRun> = Omit<R, 'backend'>;

export interface BackendUnderTest extends TestBackend {
  /** Tolerances for float32 results against float64 references on this backend. */
  readonly tol: {rtol: number, atol: number};
  runKernel(run: Run<KernelRun>): Promise<TensorSpec[]>;
  /** tf.grads of one kernel output with respect to the `wrt` inputs. */
  gradKernel(run: Run<GradRun>): Promise<TensorSpec[]>;
  /** A public op of the package: `ms[op](...args)`, {tensor} args become tensors. */
  runOp(run: Run<OpRun>): Promise<TensorSpec[]>;
  memoryTrace(run: Run<KernelRun>|Run<GradRun>, times: number): Promise<MemoryTrace>;
  /**
   * Runs fn(harness, arg) on this backend (selected, its flags set). fn must
   * use only its parameters: in Chromium it is sent as source text. Returns
   * plain data.
   */
  evaluate<A, R>(fn: (h: PageHarness, arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** The Chromium page (browser backends only; throws on Node backends). */
  readonly page: Page;
}

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

function wireArgs(run: OpRun): OpRun {
  const args = run.args.map(
      a => (typeof a === 'object' && a != null && 'tensor' in a ?
                {tensor: toWire((a as {tensor: TensorArg}).tensor)} :
                a));
  return {...run, args};
}

function expectNoLeaks(result: RunResult, what: string): TensorSpec[] {
  expect({what, ...result.leaks, gpuErrors: result.gpuErrors})
      .toEqual({what, tensors: 0, dataBuffers: 0, gpuErrors: []});
  return result.outputs.map(fromWire);
}

/** What a backend's runs go through: the runners in this process, or in the page. */
interface Transport {
  call<K extends 'runKernel'|'gradKernel'|'runOp'|'memoryTrace'>(
      name: K, ...args: Parameters<PageHarness[K]>): ReturnType<PageHarness[K]>;
  evaluate<A, R>(fn: (h: PageHarness, arg: A) => R | Promise<R>, arg: A, b: TestBackend): Promise<R>;
  page(): Page;
}

let nodeHarness: PageHarness|undefined;

function nodeTransport(): Transport {
  nodeHarness ??= makeHarness();
  const h = nodeHarness;
  return {
    call: (name, ...args) => (h[name] as (...a: unknown[]) => ReturnType<PageHarness[typeof name]>)(...args),
    evaluate: async (fn, arg, b) => {
      await h.useBackend(b.backend);
      return h.withFlags(b.flags, async () => h.withoutGpuErrors(b.backend, async () => fn(h, arg)));
    },
    page: () => {
      throw new Error('no page: this backend runs in Node');
    },
  };
}

function browserTransport(harness: () => Harness): Transport {
  return {
    call: (name, ...args) => harness().page.evaluate(
        ([n, a]) => (window.harness[n] as (...x: unknown[]) => unknown)(...a),
        [name, args] as const) as ReturnType<PageHarness[typeof name]>,
    evaluate: (fn, arg, b) => harness().page.evaluate(
        `(async () => {
          const h = window.harness;
          await h.useBackend(${JSON.stringify(b.backend)});
          return h.withFlags(${JSON.stringify(b.flags ?? {})}, async () => h.withoutGpuErrors(
              ${JSON.stringify(b.backend)}, async () => (${fn.toString()})(h, ${JSON.stringify(arg)})));
        })()`),
    page: () => harness().page,
  };
}

/** First launch bundles, starts Chromium and compiles tfjs's base shaders. */
const LAUNCH_TIMEOUT_MS = 90000;

function backendUnderTest(b: TestBackend, transport: Transport): BackendUnderTest {
  const withBackend = <R extends KernelRun|OpRun>(run: Run<R>) =>
      ({...run, backend: b.backend, flags: {...b.flags, ...(run as Partial<KernelRun>).flags}}) as unknown as R;
  return {
    ...b,
    tol: b.accumulation === 'float64' ? {rtol: 1e-5, atol: 1e-6} : {rtol: 1e-4, atol: 1e-5},
    runKernel: async run => expectNoLeaks(
        await transport.call('runKernel', wireRun(withBackend<KernelRun>(run))), `${run.kernel} on ${b.id}`),
    gradKernel: async run => expectNoLeaks(
        await transport.call('gradKernel', wireRun(withBackend<GradRun>(run))),
        `gradient of ${run.kernel} on ${b.id}`),
    runOp: async run => expectNoLeaks(
        await transport.call('runOp', wireArgs(withBackend<OpRun>(run))), `${run.op} on ${b.id}`),
    memoryTrace: async (run, times) => {
      const trace = await transport.call('memoryTrace', wireRun(withBackend<KernelRun>(run)), times);
      expect({kernel: run.kernel, gpuErrors: trace.gpuErrors}).toEqual({kernel: run.kernel, gpuErrors: []});
      return trace;
    },
    evaluate: (fn, arg) => transport.evaluate(fn, arg, b),
    get page() {
      return transport.page();
    },
  };
}

let closeRegistered = false;

/**
 * The browser stays up for the whole test file (Jest gives each file a fresh
 * module registry, so this registers once per file, at the level of the first
 * describeEachBackend call: the file's top level in every spec).
 */
function closeHarnessAfterFile(): void {
  if (!closeRegistered && selectedBackends().some(b => b.where === 'browser')) {
    closeRegistered = true;
    afterAll(closeSharedHarness);
  }
}

/**
 * Runs body once per backend of backends.ts, as `describe(`${title} [${id}]`)`.
 * Browser backends share one Chromium per test file.
 */
export function describeEachBackend(title: string, body: (b: BackendUnderTest) => void,
                                    filter: (b: TestBackend) => boolean = () => true): void {
  closeHarnessAfterFile();
  for (const b of selectedBackends().filter(filter)) {
    describe(`${title} [${b.id}]`, () => {
      if (b.where === 'node') {
        body(backendUnderTest(b, nodeTransport()));
        return;
      }
      let harness: Harness|undefined;
      beforeAll(async () => {
        harness = await acquireHarness();
      }, LAUNCH_TIMEOUT_MS);
      body(backendUnderTest(b, browserTransport(() => {
        if (harness == null) {
          throw new Error('the browser harness did not start (see the beforeAll error)');
        }
        return harness;
      })));
    });
  }
}

/**
 * Asserts that repeated runs hold memory steady: after a warm-up run, the
 * tensor count, data-buffer count and (on GPU backends) GPU bytes stay
 * exactly constant.
 */
export async function expectSteadyMemory(b: BackendUnderTest, run: Run<KernelRun>|Run<GradRun>,
                                         times = 4): Promise<void> {
  const trace = await b.memoryTrace(run, times);
  const steady = (v: number[]) => v.slice(1).every(x => x === v[1]);
  expect({trace, steady: steady(trace.numTensors) && steady(trace.numDataBuffers) &&
              steady(trace.numBytesInGPU)})
      .toEqual({trace, steady: true});
  if (onGpu(b)) {
    // A GPU backend that holds the outputs' textures or buffers reports their bytes
    // (cpu and wasm in the browser report none).
    expect(trace.numBytesInGPU[0]).toBeGreaterThan(0);
  }
}

export function spec(values: ArrayLike<number>, shape: number[]): TensorSpec {
  return {values: Array.from(values), shape};
}
