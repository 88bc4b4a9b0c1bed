// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msBatchNormGradFallback} from '../fallback/BatchNorm';
import {simdBatchNormGrad} from '../simd/BatchNormGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsBatchNormGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msBatchNormGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdBatchNormGrad, msBatchNormGradFallback);
