// SPDX-License-Identifier: Apache-2.0
/**
 * The SIMD module itself: feature detection and the flag, what it imports
 * (and that it writes nothing into the memory it imports), empty tensors,
 * and memory growth on both backends.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

import {l2Normalize, MsRMSNorm, MsRMSNormGrad, MsBatchNormGrad, MsBatchNormInference, MsBatchNormTraining, MsGroupNorm, MsGroupNormGrad, MsInstanceNorm, MsInstanceNormGrad, MsL2Normalize, MsL2NormalizeGrad, MsLayerNorm, MsLayerNormGrad, MsLRN, MsLRNGrad, SIMD_FLAG, simdReady} from '../../src';
import {cpuSimdCallCount, cpuSimdMemoryBytes, MODULE_MEMORY_BYTES} from '../../src/kernels/simd/cpu_call';
import {SIMD_MODULE_BASE64} from '../../src/kernels/simd/module_bytes';
import {simdModule, simdSupported} from '../../src/kernels/simd/simd_module';
import {wasmHeap, wasmSimdCallCount} from '../../src/kernels/simd/wasm_call';
import {expectClose, maxAbsDiff, randomValues, rng} from '../test_util';

const moduleBytes = () => Uint8Array.from(Buffer.from(SIMD_MODULE_BASE64, 'base64'));

/** Section ids of a WebAssembly binary, read independently of the build script. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8;
  while (at < bytes.length) {
    ids.push(bytes[at++]);
    let size = 0;
    for (let shift = 0;; shift += 7) {
      const b = bytes[at++];
      size += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        break;
      }
    }
    at += size;
  }
  return ids;
}

/** Runs fn with the SIMD flag set as given, then restores it. */
function withFlag<T>(on: boolean, fn: () => T): T {
  tf.env().set(SIMD_FLAG, on);
  try {
    return fn();
  } finally {
    tf.env().set(SIMD_FLAG, true);
  }
}

describe('the SIMD module', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is detected in Node (WebAssembly SIMD validates), so the flag defaults to on', async () => {
    expect(simdSupported()).toBe(true);
    expect(WebAssembly.validate(moduleBytes())).toBe(true);
    expect(tf.env().getBool(SIMD_FLAG)).toBe(true);
    expect(simdModule()).toBeInstanceOf(WebAssembly.Module);
    await expect(simdReady()).resolves.toBe(true);
  });

  it('imports only a memory and pow, and has no data segment to write into that memory', () => {
    const module = new WebAssembly.Module(moduleBytes());
    expect(WebAssembly.Module.imports(module).map(i => `${i.module}.${i.name}:${i.kind}`).sort())
        .toEqual(['env.memory:memory', 'env.pow:function']);
    const ids = sectionIds(moduleBytes());
    expect(ids).toContain(10);  // code
    expect(ids).not.toContain(11);  // data
  });

  it('is small enough for synchronous compilation on a browser main thread (< 8 MB)', () => {
    expect(moduleBytes().length).toBeLessThan(64 * 1024);
  });

  it('on wasm, SIMD_FLAG off runs the kernels composed of tf ops instead', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = wasmSimdCallCount();
    const on = l2Normalize(x, 1);
    expect(wasmSimdCallCount()).toBe(before + 1);
    const off = withFlag(false, () => l2Normalize(x, 1));
    expect(wasmSimdCallCount()).toBe(before + 1);
    const expected = [1, 2, 3, 4, 5, 6].map((v, i) => v / Math.sqrt(i < 3 ? 14 : 77));
    expectClose(on.dataSync(), expected, 1e-7);
    expectClose(off.dataSync(), expected, 1e-6);
    tf.dispose([x, on, off]);
    await tf.setBackend('cpu');
  });

  it('runs only while SIMD_FLAG is on (the flag selects the JavaScript kernels)', () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = cpuSimdCallCount();
    const on = l2Normalize(x, 1);
    expect(cpuSimdCallCount()).toBe(before + 1);
    const off = withFlag(false, () => l2Normalize(x, 1));
    expect(cpuSimdCallCount()).toBe(before + 1);
    expect(maxAbsDiff(on.dataSync(), off.dataSync())).toBeLessThan(1e-7);
    tf.dispose([x, on, off]);
  });
});

describe('where synchronous compilation is refused (older browsers, above 4 KB)', () => {
  it('the JavaScript kernels run until the asynchronous compile is done, then the module', async () => {
    const Module = WebAssembly.Module;
    const refusing = function() {
      throw new RangeError('WebAssembly.Compile is disallowed on the main thread');
    } as unknown as typeof WebAssembly.Module;
    let fresh: typeof import('../../src/kernels/simd/simd_module') | undefined;
    (WebAssembly as {Module: typeof WebAssembly.Module}).Module = refusing;
    try {
      jest.isolateModules(() => {
        fresh = require('../../src/kernels/simd/simd_module');
      });
      fresh!.registerSimdFlag();
      expect(fresh!.simdSupported()).toBe(true);
      expect(fresh!.simdModule()).toBeNull();
      expect(fresh!.useSimd()).toBe(false);
    } finally {
      (WebAssembly as {Module: typeof WebAssembly.Module}).Module = Module;
    }
    await expect(fresh!.simdReady()).resolves.toBe(true);
    expect(fresh!.simdModule()).toBeInstanceOf(WebAssembly.Module);
    expect(fresh!.useSimd()).toBe(true);
  });
});

/** A kernel, its inputs' shapes (values drawn from a fixed seed) and attrs. */
interface SeededCase {
  kernel: string;
  inputs: Record<string, number[]>;
  attrs: object;
}

/** Kernels on empty tensors (one per case), with the outputs' shapes and any non-empty values. */
const EMPTY_CASES: SeededCase[] = [
  {kernel: MsL2Normalize, inputs: {x: [0, 5]}, attrs: {axis: [1], epsilon: 1e-4}},
  {kernel: MsL2NormalizeGrad, inputs: {x: [3, 0], dy: [3, 0]}, attrs: {axis: [1], epsilon: 1e-4}},
  {kernel: MsLRN, inputs: {x: [0, 3, 2, 2]}, attrs: {depthRadius: 1, bias: 1, alpha: 1, beta: 0.5}},
  {kernel: MsLRNGrad, inputs: {x: [1, 3, 0, 2], dy: [1, 3, 0, 2]},
   attrs: {depthRadius: 1, bias: 1, alpha: 1, beta: 0.75}},
  {kernel: MsGroupNorm, inputs: {x: [2, 4, 0], gamma: [4], beta: [4]}, attrs: {numGroups: 2, epsilon: 1e-5}},
  {kernel: MsGroupNormGrad, inputs: {x: [0, 4, 3], gamma: [4], dy: [0, 4, 3]},
   attrs: {numGroups: 2, epsilon: 1e-5}},
  {kernel: MsInstanceNorm, inputs: {x: [2, 3, 0], gamma: [3], beta: [3]}, attrs: {epsilon: 1e-5}},
  {kernel: MsInstanceNormGrad, inputs: {x: [2, 3, 0], gamma: [3], dy: [2, 3, 0]}, attrs: {epsilon: 1e-5}},
  {kernel: MsBatchNormTraining,
   inputs: {x: [0, 3], gamma: [3], beta: [3], runningMean: [3], runningVar: [3]},
   attrs: {momentum: 0.1, epsilon: 1e-5, dataFormat: 'NCHW', varianceUpdate: 'unbiased'}},
  {kernel: MsLayerNorm, inputs: {x: [0, 5], gamma: [5], beta: [5]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
  {kernel: MsLayerNormGrad, inputs: {x: [0, 5], gamma: [5], dy: [0, 5]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
];

/** Runs a case on the current backend with inputs drawn from a fixed seed. */
function runSeededCase(c: SeededCase): Array<{shape: number[], values: number[]}> {
  const next = rng(7);
  return tf.tidy(() => {
    const inputs: Record<string, tf.Tensor> = {};
    for (const [name, shape] of Object.entries(c.inputs)) {
      inputs[name] = tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), next, 0.5, 1.5), shape);
    }
    const out = tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap);
    return (Array.isArray(out) ? out : [out as tf.Tensor])
        .map(t => ({shape: t.shape, values: Array.from(t.dataSync())}));
  });
}

describe.each(['cpu', 'wasm'])('empty tensors on %s', backend => {
  it.each(EMPTY_CASES.map(c => [c.kernel, c] as [string, typeof c]))(
      '%s gives the JavaScript cpu kernel\'s shapes and values, no leak', async (_, c) => {
        await tf.setBackend('cpu');
        const js = withFlag(false, () => runSeededCase(c));
        await tf.setBackend(backend);
        const numTensors = tf.memory().numTensors;
        const counts = [cpuSimdCallCount(), wasmSimdCallCount()];
        const simd = runSeededCase(c);
        expect([cpuSimdCallCount(), wasmSimdCallCount()])
            .toEqual(backend === 'cpu' ? [counts[0] + 1, counts[1]] : [counts[0], counts[1] + 1]);
        expect(tf.memory().numTensors).toBe(numTensors);
        expect(simd).toEqual(js);
      });
});

/** Kernels with independent samples, on batches that span several chunks of CHUNK_VALUES. */
const CHUNKED_CASES: SeededCase[] = [
  {kernel: MsL2Normalize, inputs: {x: [70, 4, 300]}, attrs: {axis: [1], epsilon: 1e-4}},
  {kernel: MsL2NormalizeGrad, inputs: {x: [70, 4, 300], dy: [70, 4, 300]}, attrs: {axis: [2], epsilon: 1e-4}},
  {kernel: MsLRN, inputs: {x: [70, 5, 20, 15]}, attrs: {depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75}},
  {kernel: MsLRNGrad, inputs: {x: [70, 5, 20, 15], dy: [70, 5, 20, 15]},
   attrs: {depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75}},
  {kernel: MsGroupNorm, inputs: {x: [70, 4, 300], gamma: [4], beta: [4]}, attrs: {numGroups: 2, epsilon: 1e-5}},
  {kernel: MsGroupNormGrad, inputs: {x: [70, 4, 300], gamma: [4], dy: [70, 4, 300]},
   attrs: {numGroups: 2, epsilon: 1e-5}},
  {kernel: MsInstanceNorm, inputs: {x: [70, 4, 300], gamma: [4], beta: [4]}, attrs: {epsilon: 1e-5}},
  {kernel: MsInstanceNormGrad, inputs: {x: [70, 4, 300], gamma: [4], dy: [70, 4, 300]}, attrs: {epsilon: 1e-5}},
  {kernel: MsBatchNormInference, inputs: {x: [70, 300, 4], gamma: [4], beta: [4], runningMean: [4], runningVar: [4]},
   attrs: {epsilon: 1e-5, dataFormat: 'NHWC'}},
  {kernel: MsRMSNorm, inputs: {x: [70, 4, 300], gamma: [300]}, attrs: {epsilon: 1e-6}},
  {kernel: MsRMSNormGrad, inputs: {dy: [70, 4, 300], x: [70, 4, 300], rstd: [70, 4, 1], gamma: [300]},
   attrs: {}},
  // Batch norm's training passes and gradient stream over chunks of rows.
  {kernel: MsBatchNormTraining,
   inputs: {x: [70, 4, 300], gamma: [4], beta: [4], runningMean: [4], runningVar: [4]},
   attrs: {momentum: 0.1, epsilon: 1e-5, dataFormat: 'NCHW', varianceUpdate: 'unbiased'}},
  {kernel: MsBatchNormTraining,
   inputs: {x: [70, 300, 5], gamma: [5], beta: [5], runningMean: [5], runningVar: [5]},
   attrs: {momentum: 0.1, epsilon: 1e-5, dataFormat: 'NHWC', varianceUpdate: 'biased'}},
  {kernel: MsBatchNormGrad,
   inputs: {x: [70, 4, 300], gamma: [4], runningMean: [4], runningVar: [4], dy: [70, 4, 300]},
   attrs: {training: true, epsilon: 1e-5, dataFormat: 'NCHW'}},
  {kernel: MsBatchNormGrad,
   inputs: {x: [70, 300, 5], gamma: [5], runningMean: [5], runningVar: [5], dy: [70, 300, 5]},
   attrs: {training: true, epsilon: 1e-5, dataFormat: 'NHWC'}},
  {kernel: MsBatchNormGrad,
   inputs: {x: [70, 300, 5], gamma: [5], runningMean: [5], runningVar: [5], dy: [70, 300, 5]},
   attrs: {training: false, epsilon: 1e-5, dataFormat: 'NHWC'}},
  {kernel: MsLayerNorm, inputs: {x: [70, 4, 300], gamma: [300], beta: [300]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: 1e-7}},
  {kernel: MsLayerNormGrad, inputs: {x: [70, 4, 300], gamma: [300], dy: [70, 4, 300], dmean: [70, 1, 1],
                                     dvariance: [70, 1, 1]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: 1e-7}},
];

describe('cpu: kernels streamed in chunks of samples (rows for batch norm)', () => {
  it.each(CHUNKED_CASES.map(c => [c.kernel, c] as [string, typeof c]))(
      '%s over several chunks gives the JavaScript kernel\'s results', async (_, c) => {
        await tf.setBackend('cpu');
        const js = withFlag(false, () => runSeededCase(c));
        const before = cpuSimdCallCount();
        const simd = runSeededCase(c);
        expect(cpuSimdCallCount()).toBe(before + 1);
        expect(simd.map(o => o.shape)).toEqual(js.map(o => o.shape));
        // Sums over the batch (dgamma, dbeta) add one float32 rounding per chunk.
        simd.forEach((o, k) => expectClose(o.values, js[k].values, 1e-5, 1e-5));
      });

  it('MsBatchNormTraining merges its chunks\' moments as exactly as one two-pass sweep', async () => {
    await tf.setBackend('cpu');
    // 2 channels, 200K values each (four chunks), mean 1e4, drifting by 5 over the batch so
    // the chunks' means differ by many of their standard deviations.
    const rows = 200000;
    const next = rng(21);
    const values = new Float32Array(rows * 2);
    for (let i = 0; i < values.length; i++) {
      values[i] = 1e4 + 5 * Math.floor(i / 2) / rows + (next() - 0.5);
    }
    const x = tf.tensor(values, [rows, 1, 2]);
    const ones = tf.ones([2]);
    const zeros = tf.zeros([2]);
    const before = cpuSimdCallCount();
    const out = tf.engine().runKernel(
        MsBatchNormTraining, {x, gamma: ones, beta: zeros, runningMean: zeros, runningVar: ones},
        {momentum: 1, epsilon: 0, dataFormat: 'NHWC', varianceUpdate: 'biased'}) as tf.Tensor[];
    expect(cpuSimdCallCount()).toBe(before + 1);
    // float64 two-pass reference of the per-channel standardization.
    const expected = new Float64Array(values.length);
    for (let c = 0; c < 2; c++) {
      let sum = 0;
      for (let i = c; i < values.length; i += 2) {
        sum += values[i];
      }
      const mean = sum / rows;
      let squares = 0;
      for (let i = c; i < values.length; i += 2) {
        squares += (values[i] - mean) ** 2;
      }
      const invStd = 1 / Math.sqrt(squares / rows);
      for (let i = c; i < values.length; i += 2) {
        expected[i] = (values[i] - mean) * invStd;
      }
    }
    expect(maxAbsDiff(out[0].dataSync(), expected)).toBeLessThan(2e-6);
    tf.dispose([x, ones, zeros, ...out]);
  });
});

describe('memory growth', () => {
  it('cpu: kernels with independent samples stream tensors larger than the module memory through it', async () => {
    await tf.setBackend('cpu');
    // LayerNorm's gradient on 6M values: x, dy and dx are 72 MB, more than the module's 64 MiB.
    const shape = [3000, 2000];
    const next = rng(11);
    const x = tf.tensor(randomValues(6e6, next), shape);
    const dy = tf.tensor(randomValues(6e6, next), shape);
    const gamma = tf.tensor(randomValues(2000, next), [2000]);
    const grads = () => tf.engine().runKernel(
        MsLayerNormGrad, {x, gamma, dy}, {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}) as tf.Tensor[];
    const before = cpuSimdCallCount();
    const simd = grads();
    expect(cpuSimdCallCount()).toBe(before + 1);
    expect(cpuSimdMemoryBytes()).toBeLessThanOrEqual(MODULE_MEMORY_BYTES);
    const js = withFlag(false, grads);
    expect(maxAbsDiff(simd[0].dataSync(), js[0].dataSync())).toBeLessThan(1e-5);
    // dgamma, dbeta: sums over 3000 rows, chunk by chunk.
    for (const k of [1, 2]) {
      expectClose(simd[k].dataSync(), js[k].dataSync(), 1e-4, 1e-5);
    }
    tf.dispose([x, dy, gamma, ...simd, ...js]);
  });

  it('cpu: an unchunked call whose working set exceeds the module memory runs the JavaScript kernel', async () => {
    await tf.setBackend('cpu');
    // L2Normalize over axis 0 has no independent samples: x and out (72 MB) at once.
    const x = tf.tensor(randomValues(9e6, rng(13)), [3e6, 3]);
    const before = cpuSimdCallCount();
    const out = l2Normalize(x, 0);
    expect(cpuSimdCallCount()).toBe(before);
    expect(cpuSimdMemoryBytes()).toBeLessThanOrEqual(MODULE_MEMORY_BYTES);
    const js = withFlag(false, () => l2Normalize(x, 0));
    expect(maxAbsDiff(out.dataSync(), js.dataSync())).toBe(0);
    // A small call afterwards still runs on the module.
    const small = l2Normalize(tf.tensor1d([3, 4]));
    expect(cpuSimdCallCount()).toBe(before + 1);
    expect(Array.from(small.dataSync())).toEqual([0.6000000238418579, 0.800000011920929]);
    tf.dispose([x, out, js, small]);
  });

  it('wasm: outputs allocated while the kernel runs grow the heap; the module follows the new buffer', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as Parameters<typeof wasmHeap>[0];
    const heap = wasmHeap(backend)!;
    const next = rng(12);
    const values = randomValues(1 << 22, next);
    const x = tf.tensor(values, [1024, 4096]);
    // Each call keeps its 16 MB output, so some call's own output allocation grows the heap.
    const outputs: tf.Tensor[] = [];
    let grewDuringCall = false;
    while (!grewDuringCall && outputs.length < 32) {
      const before = heap.buffer.byteLength;
      outputs.push(l2Normalize(x, 1));
      grewDuringCall = heap.buffer.byteLength > before;
    }
    expect(grewDuringCall).toBe(true);
    const results = outputs.map(t => t.dataSync());
    await tf.setBackend('cpu');
    const ref = withFlag(false, () => {
      const xc = tf.tensor(values, [1024, 4096]);
      const r = l2Normalize(xc, 1);
      const out = r.dataSync();
      tf.dispose([xc, r]);
      return out;
    });
    for (const r of results) {
      expect(maxAbsDiff(r, ref)).toBeLessThan(1e-7);
    }
    tf.dispose([x, ...outputs]);
  });
});
