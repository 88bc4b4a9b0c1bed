// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msInstanceNormFallback} from '../fallback/InstanceNorm';
import {simdInstanceNorm} from '../simd/InstanceNorm';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsInstanceNorm on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msInstanceNormWasmConfig: KernelConfig =
    wasmSimdKernel(simdInstanceNorm, msInstanceNormFallback);
