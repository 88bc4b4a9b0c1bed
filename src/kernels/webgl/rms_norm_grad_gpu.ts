// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

/**
 * RMSNorm's dx on a [rows, rowSize] view, `dot` ([rows]) holding
 * sum(dy * gamma * x) per row:
 *   dx = rstd * dy * gamma - x * rstd^3 * dot / rowSize
 */
export class RMSNormGradProgram implements GPGPUProgram {
  variableNames = ['x', 'dy', 'rstd', 'gamma', 'dot'];
  outputShape: number[];
  userCode: string;

  constructor(shape: number[]) {
    this.outputShape = shape;
    const [, rowSize] = shape;
    this.userCode = `
      void main() {
        ivec2 c = getOutputCoords();
        float s = getRstd(c.x);
        float k = s * s * s * getDot(c.x) / float(${rowSize});
        setOutput(s * getDy(c.x, c.y) * getGamma(c.y) - getX(c.x, c.y) * k);
      }
    `;
  }
}
