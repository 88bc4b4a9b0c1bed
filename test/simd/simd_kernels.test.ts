// SPDX-License-Identifier: Apache-2.0
/**
 * The WebAssembly SIMD kernels on every path users run in Node: cpu with the
 * module, cpu with the JavaScript kernels (SIMD_FLAG off) and tfjs's wasm
 * backend (in place on its heap), each against the float64 references.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

import {SIMD_FLAG} from '../../src';
import {cpuSimdCallCount} from '../../src/kernels/simd/cpu_call';
import {wasmSimdCallCount} from '../../src/kernels/simd/wasm_call';
import {expectClose} from '../test_util';
import {KERNEL_CASES, KernelCase} from './kernel_cases';

interface Path {
  title: string;
  backend: 'cpu'|'wasm';
  simd: boolean;
  /** Calls run on the module so far (null: the path must not use it). */
  calls: () => number;
}

const PATHS: Path[] = [
  {title: 'cpu, SIMD module', backend: 'cpu', simd: true, calls: cpuSimdCallCount},
  {title: 'cpu, JavaScript kernels', backend: 'cpu', simd: false, calls: cpuSimdCallCount},
  {title: 'wasm, SIMD module in place', backend: 'wasm', simd: true, calls: wasmSimdCallCount},
];

function run(c: KernelCase): {shapes: number[][], values: Float32Array[]} {
  return tf.tidy(() => {
    const inputs: Record<string, tf.Tensor> = {};
    for (const [name, {shape, values}] of Object.entries(c.inputs)) {
      inputs[name] = tf.tensor(values, shape, 'float32');
    }
    const out = tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap);
    const outs = Array.isArray(out) ? out : [out as tf.Tensor];
    return {shapes: outs.map(t => t.shape), values: outs.map(t => t.dataSync() as Float32Array)};
  });
}

/** Each case's expectations, computed once for all paths. */
const expectations = new Map<KernelCase, ArrayLike<number>[]>();
function expectedOf(c: KernelCase): ArrayLike<number>[] {
  if (!expectations.has(c)) {
    expectations.set(c, c.expected());
  }
  return expectations.get(c)!;
}

describe.each(PATHS)('kernels on $title', path => {
  beforeAll(async () => {
    await tf.setBackend(path.backend);
    tf.env().set(SIMD_FLAG, path.simd);
  });
  afterAll(() => tf.env().set(SIMD_FLAG, true));

  it.each(KERNEL_CASES.map(c => [`${c.kernel} ${c.title}`, c] as [string, KernelCase]))(
      '%s matches the float64 reference', (_, c) => {
        const before = path.calls();
        const numTensors = tf.memory().numTensors;
        const {values} = run(c);
        expect(tf.memory().numTensors).toBe(numTensors);
        expect(path.calls() - before).toBe(path.simd ? 1 : 0);
        const expected = expectedOf(c);
        expect(values.length).toBe(expected.length);
        values.forEach((v, k) => expectClose(v, expected[k], c.tol, c.rtol?.[k] ?? 0));
      });
});
