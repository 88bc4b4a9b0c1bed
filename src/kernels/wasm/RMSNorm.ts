// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msRMSNormFallback} from '../fallback/RMSNorm';
import {simdRMSNorm} from '../simd/RMSNorm';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsRMSNorm on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msRMSNormWasmConfig: KernelConfig =
    wasmSimdKernel(simdRMSNorm, msRMSNormFallback);
