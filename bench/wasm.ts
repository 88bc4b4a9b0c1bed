// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs's wasm backend in Node for the bench, on one thread (the comparison
 * with ORT's wasm build is single-threaded). The package's kernels are
 * whatever it registers for 'wasm' at import.
 */
import {getThreadsCount, setThreadsCount} from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

export interface WasmInfo {
  simd: boolean;
  multithread: boolean;
  threads: number;
}

/** Initializes the wasm backend (once) and leaves the active backend as it was. */
export async function initWasmBackend(): Promise<WasmInfo> {
  const active = tf.getBackend();
  if (tf.findBackend('wasm') == null) {
    // Only takes effect before the backend initializes.
    setThreadsCount(1);
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new Error('bench: the tfjs wasm backend failed to initialize');
  }
  const info = {
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    threads: getThreadsCount(),
  };
  if (active != null) {
    await tf.setBackend(active);
  }
  return info;
}
