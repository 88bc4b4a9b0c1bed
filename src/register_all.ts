import {getGradient, getKernel, KernelConfig, registerGradient, registerKernel} from '@tensorflow/tfjs-core';

import {cpuKernelConfigs} from './kernels/cpu/register';
import {webglKernelConfigs} from './kernels/webgl/register';
import {wasmKernelConfigs} from './kernels/wasm/register';
import {registerSimdFlag} from './kernels/simd/simd_module';
import {gradConfigs} from './gradients/register';
import {FALLBACK_BACKENDS, registerFallbackKernels} from './kernels/fallback/register';

/**
 * Registers every kernel and gradient of the package. Idempotent: a config
 * already in tfjs's registry (another copy of this package, or a second call)
 * is left alone, so nothing throws and no duplicate-registration warnings
 * are printed. Importing the package calls it.
 */
export function registerAll(): void {
  registerSimdFlag();
  const kernels: KernelConfig[] = [...cpuKernelConfigs, ...webglKernelConfigs, ...wasmKernelConfigs];
  for (const config of kernels) {
    if (getKernel(config.kernelName, config.backendName) == null) {
      registerKernel(config);
    }
  }
  // Backends with no native kernel of ours get the ones composed of tf ops.
  for (const backendName of FALLBACK_BACKENDS) {
    registerFallbackKernels(backendName);
  }
  for (const config of gradConfigs) {
    if (getGradient(config.kernelName) == null) {
      registerGradient(config);
    }
  }
}
