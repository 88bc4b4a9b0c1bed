import {serialization} from '@tensorflow/tfjs-core';

import {BatchNormBase} from './batch_norm_base';

/** MindSpore's `nn.BatchNorm1d`: input (N, C) or (N, C, L). */
export class BatchNorm1d extends BatchNormBase {
  static className = 'BatchNorm1d';
  protected readonly rankExpected = 'rank 2 (N, C) or rank 3 (N, C, L)';

  protected rankOk(r: number): boolean {
    return r === 2 || r === 3;
  }
}
serialization.registerClass(BatchNorm1d);
