// SPDX-License-Identifier: Apache-2.0
/**
 * The SIMD kernel module: feature detection, compilation and instances.
 *
 * Kernels are synchronous, so the module is compiled synchronously, once, on
 * the first kernel call (12 KB: far below the 8 MB Chromium allows on the main
 * thread). Where synchronous compilation is refused (older browsers allowed
 * only 4 KB on the main thread; a CSP without 'wasm-unsafe-eval'), the
 * JavaScript kernels run and the module compiles asynchronously;
 * `simdReady()` resolves when it can be used.
 */
import {env} from '@tensorflow/tfjs-core';

import {SIMD_MODULE_BASE64} from './module_bytes';
import {SimdExports} from './simd_exports';

/**
 * tfjs flag: use the WebAssembly SIMD kernels where they can run (default:
 * wherever WebAssembly validates the module). false selects the JavaScript
 * kernels on cpu and the tf-op kernels on wasm.
 */
export const SIMD_FLAG = 'MS_NORM_WASM_SIMD';

let bytes: Uint8Array<ArrayBuffer>|null = null;
/** undefined: not tried yet; null: unavailable (or still compiling asynchronously). */
let compiled: WebAssembly.Module|null|undefined;
let ready: Promise<boolean>|null = null;

function moduleBytes(): Uint8Array<ArrayBuffer> {
  if (bytes == null) {
    const text = atob(SIMD_MODULE_BASE64);
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i);
    }
  }
  return bytes;
}

/** Whether this engine supports the module's features (128-bit SIMD). */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(moduleBytes());
}

/** The compiled module, compiling it on first use; null where it cannot be used (yet). */
export function simdModule(): WebAssembly.Module|null {
  if (compiled === undefined) {
    compiled = null;
    if (simdSupported()) {
      try {
        compiled = new WebAssembly.Module(moduleBytes());
        ready = Promise.resolve(true);
      } catch (e) {
        ready = WebAssembly.compile(moduleBytes()).then(m => {
          compiled = m;
          return true;
        }, () => false);
      }
    } else {
      ready = Promise.resolve(false);
    }
  }
  return compiled;
}

/**
 * Resolves to true once the SIMD kernels can run (at once where the module
 * compiled synchronously), false where WebAssembly SIMD is unavailable.
 */
export function simdReady(): Promise<boolean> {
  simdModule();
  return ready!;
}

/**
 * Whether a kernel called now runs the SIMD path. The flag is registered here
 * too, for kernel-level users who registered only a KernelConfig list.
 */
export function useSimd(): boolean {
  if (!flagRegistered) {
    registerSimdFlag();
  }
  return env().getBool(SIMD_FLAG) && simdModule() != null;
}

/** A new instance of the module on `memory`. */
export function instantiate(memory: WebAssembly.Memory): SimdExports {
  const instance = new WebAssembly.Instance(simdModule()!, {env: {memory, pow: Math.pow}});
  return instance.exports as unknown as SimdExports;
}

let flagRegistered = false;

/**
 * Registers SIMD_FLAG with tfjs (re-registering only replaces the same
 * default; a value the user set stays).
 */
export function registerSimdFlag(): void {
  env().registerFlag(SIMD_FLAG, simdSupported);
  flagRegistered = true;
}
