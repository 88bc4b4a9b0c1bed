// SPDX-License-Identifier: Apache-2.0
/**
 * Bundle entry for the SIMD Chromium test (chromium.test.ts): tfjs core with
 * the cpu and wasm backends and this package. What the module did at import
 * (before any await) is recorded first: kernels are synchronous, so the
 * module must compile synchronously on the page's main thread.
 */
import '@tensorflow/tfjs-backend-cpu';

import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

import * as ms from '../../src';
import {cpuSimdCallCount} from '../../src/kernels/simd/cpu_call';
import {simdModule, simdSupported} from '../../src/kernels/simd/simd_module';
import {wasmSimdCallCount} from '../../src/kernels/simd/wasm_call';

const atImport = {
  supported: simdSupported(),
  compiledSynchronously: simdModule() != null,
  flag: tf.env().getBool(ms.SIMD_FLAG),
};

export interface PageRun {
  backend: 'cpu'|'wasm';
  simd: boolean;
  kernel: string;
  inputs: Record<string, {shape: number[], values: number[]}>;
  attrs: Record<string, unknown>;
}

export interface PageResult {
  values: number[][];
  /** Kernel calls the module ran for this run (cpu or wasm counter). */
  simdCalls: number;
  leaked: number;
}

const simdHarness = {
  atImport,
  async setUp(wasmPrefix: string): Promise<{wasmSimd: boolean, ready: boolean}> {
    setWasmPaths(wasmPrefix);
    await tf.setBackend('wasm');
    const wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    await tf.setBackend('cpu');
    return {wasmSimd, ready: await ms.simdReady()};
  },
  async run(r: PageRun): Promise<PageResult> {
    await tf.setBackend(r.backend);
    if (tf.getBackend() !== r.backend) {
      throw new Error(`backend ${r.backend} did not start`);
    }
    tf.env().set(ms.SIMD_FLAG, r.simd);
    const count = r.backend === 'cpu' ? cpuSimdCallCount : wasmSimdCallCount;
    const before = count();
    const tensors = tf.memory().numTensors;
    try {
      const values = tf.tidy(() => {
        const inputs: Record<string, tf.Tensor> = {};
        for (const [name, {shape, values}] of Object.entries(r.inputs)) {
          inputs[name] = tf.tensor(values, shape, 'float32');
        }
        const out = tf.engine().runKernel(r.kernel, inputs, r.attrs as tf.NamedAttrMap);
        return (Array.isArray(out) ? out : [out as tf.Tensor]).map(t => Array.from(t.dataSync()));
      });
      return {values, simdCalls: count() - before, leaked: tf.memory().numTensors - tensors};
    } finally {
      tf.env().set(ms.SIMD_FLAG, true);
    }
  },
};

declare global {
  interface Window {
    simdHarness: typeof simdHarness;
  }
}

window.simdHarness = simdHarness;
