// SPDX-License-Identifier: Apache-2.0
/** The Node backends of backends.ts, registered with tfjs (cpu is registered by the package's peers). */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
