// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';
import {floatUniforms} from './glsl_util';

/**
 * Batch-norm dx on an [outer, C, inner] view, xhat = (x - mean) * invStd:
 *   training  dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
 *             with the batch's Moments (`xSum`, `sqDev`, `count` values per
 *             channel), mean(dy) = dbeta / count, mean(dy * xhat) = dgamma / count;
 *   inference dx = dy * gamma * invStd with the running variance.
 */
export class BatchNormGradProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(shape: number[], training: boolean, count: number) {
    this.outputShape = shape;
    if (!training) {
      this.variableNames = ['dy', 'runningVar', 'gamma'];
      this.userCode = `
        void main() {
          int c = getOutputCoords().y;
          float invStd = inversesqrt(getRunningVar(c) + epsilon);
          setOutput(getDyAtOutCoords() * getGamma(c) * invStd);
        }
      `;
      return;
    }
    this.variableNames = ['x', 'dy', ...MOMENT_NAMES, 'gamma', 'dgamma', 'dbeta'];
    this.userCode = `
      ${momentHelpers(1, count)}

      void main() {
        int c = getOutputCoords().y;
        float invStd = invStdOf(c);
        float xhat = centredOf(getXAtOutCoords(), c) * invStd;
        float meanDy = getDbeta(c) / float(${count});
        float meanDyXhat = getDgamma(c) / float(${count});
        setOutput(getGamma(c) * invStd * (getDyAtOutCoords() - meanDy - xhat * meanDyXhat));
      }
    `;
  }
}
