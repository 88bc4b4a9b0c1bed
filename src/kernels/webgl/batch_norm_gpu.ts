// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';
import {floatUniforms} from './glsl_util';

/**
 * Training batch-norm output on an [outer, C, inner] view with the batch's
 * Moments (`count` values per channel):
 *   y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c].
 */
export class BatchNormProgram implements GPGPUProgram {
  variableNames = ['x', ...MOMENT_NAMES, 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(shape: number[], count: number) {
    this.outputShape = shape;
    this.userCode = `
      ${momentHelpers(1, count)}

      void main() {
        int c = getOutputCoords().y;
        float xhat = centredOf(getXAtOutCoords(), c) * invStdOf(c);
        setOutput(xhat * getGamma(c) + getBeta(c));
      }
    `;
  }
}
