// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {MintBatchNormBase} from './batch_norm_base';

/** MindSpore's `mint.nn.BatchNorm3d`: input (N, C, D, H, W). */
export class MintBatchNorm3d extends MintBatchNormBase {
  static className = 'MintBatchNorm3d';
  protected readonly ranks = [5];
  protected readonly rankExpected = 'rank 5 (N, C, D, H, W)';
}
serialization.registerClass(MintBatchNorm3d);
