// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msGroupNormFallback} from '../fallback/GroupNorm';
import {simdGroupNorm} from '../simd/GroupNorm';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsGroupNorm on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msGroupNormWasmConfig: KernelConfig =
    wasmSimdKernel(simdGroupNorm, msGroupNormFallback);
