// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msLRNGradFallback} from '../fallback/LRN';
import {simdLRNGrad} from '../simd/LRNGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsLRNGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msLRNGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdLRNGrad, msLRNGradFallback);
