// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';

import {BatchNormBase} from './batch_norm_base';

/** MindSpore's `nn.BatchNorm2d`: input (N, C, H, W), or (N, H, W, C) with dataFormat 'NHWC'. */
export class BatchNorm2d extends BatchNormBase {
  static className = 'BatchNorm2d';
  protected readonly ranks = [4];
  protected readonly rankExpected = 'rank 4 (N, C, H, W)';
}
serialization.registerClass(BatchNorm2d);
