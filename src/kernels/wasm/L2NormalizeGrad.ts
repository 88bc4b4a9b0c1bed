// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msL2NormalizeGradFallback} from '../fallback/L2Normalize';
import {simdL2NormalizeGrad} from '../simd/L2NormalizeGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsL2NormalizeGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msL2NormalizeGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdL2NormalizeGrad, msL2NormalizeGradFallback);
