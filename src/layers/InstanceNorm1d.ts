// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {InstanceNormBase} from './instance_norm_base';

/** MindSpore's `nn.InstanceNorm1d`: input (N, C, L). */
export class InstanceNorm1d extends InstanceNormBase {
  static className = 'InstanceNorm1d';
  protected readonly ranks = [3];
  protected readonly rankExpected = 'rank 3 (N, C, L)';
}
serialization.registerClass(InstanceNorm1d);
