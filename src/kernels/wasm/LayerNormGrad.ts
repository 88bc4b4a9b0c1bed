// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msLayerNormGradFallback} from '../fallback/LayerNorm';
import {simdLayerNormGrad} from '../simd/LayerNormGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsLayerNormGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msLayerNormGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdLayerNormGrad, msLayerNormGradFallback);
