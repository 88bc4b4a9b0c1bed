// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {cpuKernelConfigs} from './kernels/cpu/register';
import {webglKernelConfigs} from './kernels/webgl/register';
import {wasmKernelConfigs} from './kernels/wasm/register';
import {registerSimdFlag} from './kernels/simd/simd_module';
import {webgpuKernelConfigs} from './kernels/webgpu/register';
import {gradConfigs} from './gradients/register';
import {FALLBACK_BACKENDS, fallbackKernelConfigs} from './kernels/fallback/register';
import {registerConfigs} from './register';

/** Every backend's native kernels; a new backend's list is one line here. */
const nativeKernelConfigs: KernelConfig[][] = [
  cpuKernelConfigs,
  webglKernelConfigs,
  wasmKernelConfigs,
  webgpuKernelConfigs,
];

/**
 * Registers every kernel and gradient of the package. Idempotent: a config
 * already in tfjs's registry (another copy of this package, or a second call)
 * is left alone, so nothing throws and no duplicate-registration warnings
 * are printed. Importing the main entry calls it.
 */
export function registerAll(): void {
  registerSimdFlag();
  registerConfigs(...nativeKernelConfigs);
  // Backends with no native kernel of ours get the ones composed of tf ops.
  registerConfigs(...FALLBACK_BACKENDS.map(fallbackKernelConfigs));
  registerConfigs(gradConfigs);
}
