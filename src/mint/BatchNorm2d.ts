// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {MintBatchNormBase} from './batch_norm_base';

/** MindSpore's `mint.nn.BatchNorm2d`: input (N, C, H, W). */
export class MintBatchNorm2d extends MintBatchNormBase {
  static className = 'MintBatchNorm2d';
  protected readonly ranks = [4];
  protected readonly rankExpected = 'rank 4 (N, C, H, W)';
}
serialization.registerClass(MintBatchNorm2d);
