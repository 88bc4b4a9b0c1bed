// SPDX-License-Identifier: Apache-2.0
import {getKernel, KernelConfig, registerKernel} from '@tensorflow/tfjs-core';

import {msBatchNormGradFallback, msBatchNormInferenceFallback, msBatchNormTrainingFallback} from './BatchNorm';
import {msGroupNormFallback, msGroupNormGradFallback} from './GroupNorm';
import {msInstanceNormFallback, msInstanceNormGradFallback} from './InstanceNorm';
import {msL2NormalizeFallback, msL2NormalizeGradFallback} from './L2Normalize';
import {msLayerNormFallback, msLayerNormGradFallback} from './LayerNorm';
import {msLRNFallback, msLRNGradFallback} from './LRN';
import {msRMSNormFallback, msRMSNormGradFallback} from './RMSNorm';

/** Every fallback kernel (one per kernel name of the package), as per-backend configs. */
const fallbacks: Array<(backendName: string) => KernelConfig> = [
  msL2NormalizeFallback,
  msL2NormalizeGradFallback,
  msLRNFallback,
  msLRNGradFallback,
  msGroupNormFallback,
  msGroupNormGradFallback,
  msBatchNormTrainingFallback,
  msBatchNormInferenceFallback,
  msBatchNormGradFallback,
  msLayerNormFallback,
  msLayerNormGradFallback,
  msInstanceNormFallback,
  msInstanceNormGradFallback,
  msRMSNormFallback,
  msRMSNormGradFallback,
];

/** Backends that get the fallback kernels when the package is imported. */
export const FALLBACK_BACKENDS = ['wasm'];

export function fallbackKernelConfigs(backendName: string): KernelConfig[] {
  return fallbacks.map(make => make(backendName));
}

/**
 * Registers the tf-op fallback of every kernel of the package for a backend
 * (e.g. 'webgpu'), skipping kernels that backend already has (a native kernel,
 * or an earlier call). Works whether or not the backend is registered yet.
 */
export function registerFallbackKernels(backendName: string): void {
  for (const config of fallbackKernelConfigs(backendName)) {
    if (getKernel(config.kernelName, backendName) == null) {
      registerKernel(config);
    }
  }
}
