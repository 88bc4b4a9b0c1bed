// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm/webgpu: registers the package's webgpu kernels and its
 * gradients (idempotently), nothing for other backends, and exports what
 * tfjs-mindspore-norm/base exports.
 */
import {webgpuKernelConfigs} from './kernels/webgpu/register';
import {gradConfigs} from './gradients/register';
import {registerConfigs} from './register';

registerConfigs(webgpuKernelConfigs, gradConfigs);

export * from './base';
