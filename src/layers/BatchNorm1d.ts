// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {BatchNormBase} from './batch_norm_base';

/** MindSpore's `nn.BatchNorm1d`: input (N, C) or (N, C, L). */
export class BatchNorm1d extends BatchNormBase {
  static className = 'BatchNorm1d';
  protected readonly ranks = [2, 3];
  protected readonly rankExpected = 'rank 2 (N, C) or rank 3 (N, C, L)';
}
serialization.registerClass(BatchNorm1d);
