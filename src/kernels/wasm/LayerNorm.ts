// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msLayerNormFallback} from '../fallback/LayerNorm';
import {simdLayerNorm} from '../simd/LayerNorm';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsLayerNorm on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msLayerNormWasmConfig: KernelConfig =
    wasmSimdKernel(simdLayerNorm, msLayerNormFallback);
