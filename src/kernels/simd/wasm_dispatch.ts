// SPDX-License-Identifier: Apache-2.0
/**
 * Native kernels for tfjs's wasm backend: the SIMD module on the backend's
 * heap, or the kernel composed of tf ops (src/kernels/fallback) where the
 * module cannot run (SIMD_FLAG off, no WebAssembly SIMD, heap not reachable).
 */
import {KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap} from '@tensorflow/tfjs-core';

import {runSimd, SimdInputs, SimdKernel} from './simd_call';
import {useSimd} from './simd_module';
import {WasmBackendLike, wasmCall} from './wasm_call';

type KernelArgs = {inputs: NamedTensorInfoMap, backend: unknown, attrs?: NamedAttrMap};

export function wasmSimdKernel(
    simd: SimdKernel, fallback: (backendName: string) => KernelConfig): KernelConfig {
  const composed = fallback('wasm');
  const kernelFunc = (args: KernelArgs) => {
    const call = useSimd() ? wasmCall(args.backend as WasmBackendLike) : null;
    if (call != null) {
      return runSimd(call, c => simd(c, args.inputs as SimdInputs, args.attrs ?? {}));
    }
    return composed.kernelFunc(args as Parameters<KernelFunc>[0]);
  };
  return {
    kernelName: composed.kernelName,
    backendName: 'wasm',
    kernelFunc: kernelFunc as KernelFunc,
  };
}
