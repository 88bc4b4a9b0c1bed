// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msBatchNormTrainingFallback} from '../fallback/BatchNorm';
import {simdBatchNormTraining} from '../simd/BatchNormTraining';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsBatchNormTraining on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msBatchNormTrainingWasmConfig: KernelConfig =
    wasmSimdKernel(simdBatchNormTraining, msBatchNormTrainingFallback);
