// SPDX-License-Identifier: Apache-2.0
import {GradConfig} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNGrad} from '../kernel_names';
import {backwardKernelGrad} from './backward_kernel_grad';

export const msLRNGradConfig: GradConfig = backwardKernelGrad(MsLRN, MsLRNGrad, ['x'], ['x']);
