// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import {floatUniforms} from './glsl_util';

/**
 * One running-statistic update of ops.batch_norm, per channel:
 *   new = (1 - momentum) * running + momentum * (batchSum * scale [+ shift]),
 * where that is the batch mean (Moments' shifted sum plus its shift) or the
 * (biased / unbiased) variance.
 */
export class RunningStatProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('momentum', 'scale');

  constructor(channels: number, withShift: boolean) {
    this.outputShape = [channels];
    this.variableNames = withShift ? ['running', 'batchSum', 'shift'] : ['running', 'batchSum'];
    const shift = withShift ? ' + getShift(c)' : '';
    this.userCode = `
      void main() {
        int c = getOutputCoords();
        setOutput((1.0 - momentum) * getRunning(c) + momentum * (getBatchSum(c) * scale${shift}));
      }
    `;
  }
}
