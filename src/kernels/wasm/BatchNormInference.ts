// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msBatchNormInferenceFallback} from '../fallback/BatchNorm';
import {simdBatchNormInference} from '../simd/BatchNormInference';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsBatchNormInference on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msBatchNormInferenceWasmConfig: KernelConfig =
    wasmSimdKernel(simdBatchNormInference, msBatchNormInferenceFallback);
