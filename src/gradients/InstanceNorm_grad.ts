// SPDX-License-Identifier: Apache-2.0
import {GradConfig} from '@tensorflow/tfjs-core';

import {MsInstanceNorm, MsInstanceNormGrad} from '../kernel_names';
import {backwardKernelGrad} from './backward_kernel_grad';

export const msInstanceNormGradConfig: GradConfig =
    backwardKernelGrad(MsInstanceNorm, MsInstanceNormGrad, ['x', 'gamma'], ['x', 'gamma', 'beta']);
