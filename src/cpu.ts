// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm/cpu: registers the package's cpu kernels and its
 * gradients (idempotently), nothing for other backends, and exports what
 * tfjs-mindspore-norm/base exports.
 */
import {cpuKernelConfigs} from './kernels/cpu/register';
import {gradConfigs} from './gradients/register';
import {registerConfigs} from './register';

registerConfigs(cpuKernelConfigs, gradConfigs);

export * from './base';
