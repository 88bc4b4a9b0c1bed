// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm/webgl: registers the package's webgl kernels and its
 * gradients (idempotently), nothing for other backends, and exports what
 * tfjs-mindspore-norm/base exports.
 */
import {webglKernelConfigs} from './kernels/webgl/register';
import {gradConfigs} from './gradients/register';
import {registerConfigs} from './register';

registerConfigs(webglKernelConfigs, gradConfigs);

export * from './base';
