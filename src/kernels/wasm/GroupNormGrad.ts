// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msGroupNormGradFallback} from '../fallback/GroupNorm';
import {simdGroupNormGrad} from '../simd/GroupNormGrad';
import {wasmSimdKernel} from '../simd/wasm_dispatch';

/** MsGroupNormGrad on tfjs's wasm backend: the SIMD module in place on its heap. */
export const msGroupNormGradWasmConfig: KernelConfig =
    wasmSimdKernel(simdGroupNormGrad, msGroupNormGradFallback);
