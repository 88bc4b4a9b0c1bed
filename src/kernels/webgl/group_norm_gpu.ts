// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';

/**
 * GroupNorm output on an [N, C, S] view (S = spatial size), groups of
 * `perGroup` channels whose Moments (`xShift`, `xSum`, `sqDev`, [N, G]) hold
 * `count` = perGroup * S values each:
 *   y = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c].
 */
export class GroupNormProgram implements GPGPUProgram {
  variableNames = ['x', ...MOMENT_NAMES, 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = [{name: 'epsilon', type: 'float' as const}];

  constructor(shape: number[], perGroup: number, count: number) {
    this.outputShape = shape;
    this.userCode = `
      ${momentHelpers(2, count)}

      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords.x;
        int c = coords.y;
        int g = c / ${perGroup};
        float xhat = centredOf(getX(n, c, coords.z), n, g) * invStdOf(n, g);
        setOutput(xhat * getGamma(c) + getBeta(c));
      }
    `;
  }
}
