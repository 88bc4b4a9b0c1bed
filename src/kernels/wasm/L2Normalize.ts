// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msL2NormalizeFallback} from '../fallback/L2Normalize';
import {simdL2Normalize} from '../simd/L2Normalize';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsL2Normalize on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msL2NormalizeWasmConfig: KernelConfig =
    wasmSimdKernel(simdL2Normalize, msL2NormalizeFallback);
