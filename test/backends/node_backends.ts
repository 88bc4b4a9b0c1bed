// SPDX-License-Identifier: Apache-2.0
/**
 * The Node backends of backends.ts. Besides tfjs's cpu and wasm: 'fallback',
 * a CPU backend registered under a name of its own with tfjs's CPU kernels
 * and, of this package, only the fallback kernels composed of tf ops, as a
 * user's own backend (or tfjs-node) would run them.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {getKernel, getKernelsForBackend, registerBackend, registerKernel} from '@tensorflow/tfjs-core';

import {registerFallbackKernels} from '../../src';

export const FALLBACK_BACKEND = 'fallback';

// Below cpu's priority: never picked as the default backend.
if (registerBackend(FALLBACK_BACKEND, () => new MathBackendCPU(), -1)) {
  for (const config of getKernelsForBackend('cpu')) {
    if (!config.kernelName.startsWith('Ms') && getKernel(config.kernelName, FALLBACK_BACKEND) == null) {
      registerKernel({...config, backendName: FALLBACK_BACKEND});
    }
  }
  registerFallbackKernels(FALLBACK_BACKEND);
}
