// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm/wasm: registers the package's wasm kernels and its
 * gradients (idempotently), nothing for other backends, and exports what
 * tfjs-mindspore-norm/base exports.
 */
import {wasmKernelConfigs} from './kernels/wasm/register';
import {gradConfigs} from './gradients/register';
import {registerSimdFlag} from './kernels/simd/simd_module';
import {registerConfigs} from './register';

// The kernels read this flag (whether to run the WebAssembly SIMD code).
registerSimdFlag();
registerConfigs(wasmKernelConfigs, gradConfigs);

export * from './base';
