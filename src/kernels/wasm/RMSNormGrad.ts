// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msRMSNormGradFallback} from '../fallback/RMSNorm';
import {simdRMSNormGrad} from '../simd/RMSNormGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsRMSNormGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msRMSNormGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdRMSNormGrad, msRMSNormGradFallback);
