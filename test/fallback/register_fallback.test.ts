// SPDX-License-Identifier: Apache-2.0
/**
 * registerFallbackKernels: the package's kernels composed of tf ops, for
 * backends without native kernels of ours. Their numbers are checked by every
 * spec in test/specs on the 'fallback' test backend (test/backends).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

import {registerFallbackKernels} from '../../src';
import {KERNEL_NAMES} from '../test_util';

describe('registerFallbackKernels', () => {
  it('registers every kernel name for wasm at import, without replacing native kernels', () => {
    expect(KERNEL_NAMES.length).toBeGreaterThanOrEqual(13);
    for (const name of KERNEL_NAMES) {
      expect({name, wasm: tf.getKernel(name, 'wasm') != null}).toEqual({name, wasm: true});
    }
    const cpuBefore = KERNEL_NAMES.map(n => tf.getKernel(n, 'cpu')!.kernelFunc);
    registerFallbackKernels('cpu');
    expect(KERNEL_NAMES.map(n => tf.getKernel(n, 'cpu')!.kernelFunc)).toEqual(cpuBefore);
  });

  it('registers every kernel for another backend name, idempotently', () => {
    registerFallbackKernels('someFutureBackend');
    const first = KERNEL_NAMES.map(n => tf.getKernel(n, 'someFutureBackend')!.kernelFunc);
    registerFallbackKernels('someFutureBackend');
    expect(KERNEL_NAMES.map(n => tf.getKernel(n, 'someFutureBackend')!.kernelFunc)).toEqual(first);
    for (const name of KERNEL_NAMES) {
      tf.unregisterKernel(name, 'someFutureBackend');
    }
  });
});
