// SPDX-License-Identifier: Apache-2.0
import {getGradient, getKernel, GradConfig, KernelConfig, registerGradient, registerKernel} from '@tensorflow/tfjs-core';

/**
 * Registers kernel configs (`tf.registerKernel`) and gradient configs
 * (`tf.registerGradient`) that tfjs does not have yet, and returns how many it
 * registered. Idempotent: a kernel already registered for its backend, or a
 * gradient already registered for its kernel (a second call, another copy of
 * this package, the user's own), is left alone, so nothing throws and tfjs
 * prints no duplicate-registration warning.
 *
 * ```js
 * import {registerConfigs, cpuKernelConfigs, gradConfigs} from 'tfjs-mindspore-norm/base';
 * registerConfigs(cpuKernelConfigs, gradConfigs);
 * ```
 */
export function registerConfigs(...lists: ReadonlyArray<KernelConfig|GradConfig>[]): number {
  let count = 0;
  for (const list of lists) {
    if (!Array.isArray(list)) {
      throw new Error(
          `registerConfigs: every argument must be an array of KernelConfig or GradConfig, ` +
          `but got ${typeof list}.`);
    }
    for (const config of list) {
      if (isKernelConfig(config)) {
        if (getKernel(config.kernelName, config.backendName) == null) {
          registerKernel(config);
          count++;
        }
      } else if (config != null && typeof config.gradFunc === 'function') {
        if (getGradient(config.kernelName) == null) {
          registerGradient(config);
          count++;
        }
      } else {
        throw new Error(
            `registerConfigs: each config must have a kernelFunc and backendName (KernelConfig) ` +
            `or a gradFunc (GradConfig), but got ${JSON.stringify(config)}.`);
      }
    }
  }
  return count;
}

function isKernelConfig(config: KernelConfig|GradConfig): config is KernelConfig {
  return config != null && typeof (config as KernelConfig).kernelFunc === 'function' &&
      typeof (config as KernelConfig).backendName === 'string';
}
