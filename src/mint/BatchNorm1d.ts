// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {MintBatchNormBase} from './batch_norm_base';

/** MindSpore's `mint.nn.BatchNorm1d`: input (N, C) or (N, C, L). */
export class MintBatchNorm1d extends MintBatchNormBase {
  static className = 'MintBatchNorm1d';
  protected readonly rankExpected = 'rank 2 (N, C) or rank 3 (N, C, L)';

  protected rankOk(r: number): boolean {
    return r === 2 || r === 3;
  }
}
serialization.registerClass(MintBatchNorm1d);
