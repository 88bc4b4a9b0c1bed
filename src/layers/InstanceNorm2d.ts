// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {InstanceNormBase} from './instance_norm_base';

/** MindSpore's `nn.InstanceNorm2d`: input (N, C, H, W). */
export class InstanceNorm2d extends InstanceNormBase {
  static className = 'InstanceNorm2d';
  protected readonly ranks = [4];
  protected readonly rankExpected = 'rank 4 (N, C, H, W)';
}
serialization.registerClass(InstanceNorm2d);
