// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {BatchNormBase} from './batch_norm_base';

/** MindSpore's `nn.BatchNorm3d`: input (N, C, D, H, W). */
export class BatchNorm3d extends BatchNormBase {
  static className = 'BatchNorm3d';
  protected readonly ranks = [5];
  protected readonly rankExpected = 'rank 5 (N, C, D, H, W)';
}
serialization.registerClass(BatchNorm3d);
