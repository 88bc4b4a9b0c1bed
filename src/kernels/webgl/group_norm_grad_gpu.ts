// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';
import {floatUniforms} from './glsl_util';

/**
 * GroupNorm's dx on an [N, C, S] view. With xhat = (x - mean) * invStd over
 * a group of `count` values and g = dy * gamma[c]:
 *   dx = invStd * (g - mean(g) - xhat * mean(g * xhat)),
 * where `groupSums` ([2, N, G]) holds sum(g) and sum(g * (x - mean)) per group.
 */
export class GroupNormGradProgram implements GPGPUProgram {
  variableNames = ['x', 'dy', ...MOMENT_NAMES, 'gamma', 'groupSums'];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(shape: number[], perGroup: number, count: number) {
    this.outputShape = shape;
    this.userCode = `
      ${momentHelpers(2, count)}

      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords.x;
        int c = coords.y;
        int g = c / ${perGroup};
        float invStd = invStdOf(n, g);
        float xhat = centredOf(getX(n, c, coords.z), n, g) * invStd;
        float meanG = getGroupSums(0, n, g) / float(${count});
        float meanGXhat = getGroupSums(1, n, g) * invStd / float(${count});
        float dx = invStd * (getDy(n, c, coords.z) * getGamma(c) - meanG - xhat * meanGXhat);
        setOutput(dx);
      }
    `;
  }
}
