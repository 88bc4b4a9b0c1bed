// SPDX-License-Identifier: Apache-2.0
import {engine, getKernel, NamedAttrMap, NamedTensorMap, Tensor} from '@tensorflow/tfjs-core';

import {registerFallbackKernels} from '../kernels/fallback/register';

/**
 * engine().runKernel for the package's kernels, on any backend. Importing
 * the package registers native kernels for cpu, webgl and webgpu and the
 * fallbacks (composed of tf ops) for wasm; tfjs has no hook for backends
 * registered later or unknown to us (tfjs-node's 'tensorflow', a custom
 * one), so before each call this checks that the active backend has the
 * kernel and, if not, registers every fallback kernel for it. The check is
 * one registry lookup. Calling engine().runKernel directly skips it: kernel-level
 * users of such a backend call registerFallbackKernels(name) once.
 */
export function runMsKernel(kernelName: string, inputs: NamedTensorMap, attrs?: NamedAttrMap):
    Tensor|Tensor[] {
  const e = engine();
  // Reading e.backend first initializes the best backend when none is set yet.
  if (e.backend != null && getKernel(kernelName, e.backendName) == null) {
    registerFallbackKernels(e.backendName);
  }
  return e.runKernel(kernelName, inputs, attrs);
}
