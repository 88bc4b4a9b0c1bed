// SPDX-License-Identifier: Apache-2.0
/**
 * Bundle entry for the browser backends (see browser_harness.ts): tfjs's
 * browser backends and the harness object, on `window.harness`. A browser
 * backend joins the suite with one import here and one entry in backends.ts.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';

import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import wasmBinary from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm';
import wasmSimdBinary from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';

import {makeHarness} from './harness_object';
import type {PageHarness} from './runner';

declare global {
  interface Window {
    harness: PageHarness;
  }
}

// tfjs-wasm fetches its binaries: hand it the bundled bytes as blob URLs. The
// page is not cross-origin isolated, so the threaded build never loads; tfjs
// still wants a path for it.
const blobUrl = (bytes: Uint8Array) =>
    URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], {type: 'application/wasm'}));
setWasmPaths({
  'tfjs-backend-wasm.wasm': blobUrl(wasmBinary),
  'tfjs-backend-wasm-simd.wasm': blobUrl(wasmSimdBinary),
  'tfjs-backend-wasm-threaded-simd.wasm': blobUrl(wasmSimdBinary),
});

window.harness = makeHarness();
