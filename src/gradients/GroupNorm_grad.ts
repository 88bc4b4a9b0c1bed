// SPDX-License-Identifier: Apache-2.0
import {GradConfig} from '@tensorflow/tfjs-core';

import {MsGroupNorm, MsGroupNormGrad} from '../kernel_names';
import {backwardKernelGrad} from './backward_kernel_grad';

export const msGroupNormGradConfig: GradConfig =
    backwardKernelGrad(MsGroupNorm, MsGroupNormGrad, ['x', 'gamma'], ['x', 'gamma', 'beta']);
