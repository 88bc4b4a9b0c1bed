// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm/cpu: registers the package's cpu kernels and its
 * gradients (idempotently), nothing for other backends, and exports what
 * tfjs-mindspore-norm/base exports.
 */
import {cpuKernelConfigs} from './kernels/cpu/register';
import {gradConfigs} from './gradients/register';
import {registerSimdFlag} from './kernels/simd/simd_module';
import {registerConfigs} from './register';

// The kernels read this flag (whether to run the WebAssembly SIMD code).
registerSimdFlag();
registerConfigs(cpuKernelConfigs, gradConfigs);

export * from './base';
