// SPDX-License-Identifier: Apache-2.0
import {GradConfig} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeGrad} from '../kernel_names';
import {backwardKernelGrad} from './backward_kernel_grad';

export const msL2NormalizeGradConfig: GradConfig =
    backwardKernelGrad(MsL2Normalize, MsL2NormalizeGrad, ['x'], ['x']);
