// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {InstanceNormBase} from './instance_norm_base';

/** MindSpore's `nn.InstanceNorm3d`: input (N, C, D, H, W). */
export class InstanceNorm3d extends InstanceNormBase {
  static className = 'InstanceNorm3d';
  protected readonly ranks = [5];
  protected readonly rankExpected = 'rank 5 (N, C, D, H, W)';
}
serialization.registerClass(InstanceNorm3d);
