// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msLRNFallback} from '../fallback/LRN';
import {simdLRN} from '../simd/LRN';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsLRN on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msLRNWasmConfig: KernelConfig =
    wasmSimdKernel(simdLRN, msLRNFallback);
