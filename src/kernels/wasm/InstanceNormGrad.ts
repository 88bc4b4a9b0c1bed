// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msInstanceNormGradFallback} from '../fallback/InstanceNorm';
import {simdInstanceNormGrad} from '../simd/InstanceNormGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsInstanceNormGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msInstanceNormGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdInstanceNormGrad, msInstanceNormGradFallback);
