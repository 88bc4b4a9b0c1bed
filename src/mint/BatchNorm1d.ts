// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {MintBatchNormBase} from './batch_norm_base';

/** MindSpore's `mint.nn.BatchNorm1d`: input (N, C) or (N, C, L). */
export class MintBatchNorm1d extends MintBatchNormBase {
  static className = 'MintBatchNorm1d';
  protected readonly ranks = [2, 3];
  protected readonly rankExpected = 'rank 2 (N, C) or rank 3 (N, C, L)';
}
serialization.registerClass(MintBatchNorm1d);
