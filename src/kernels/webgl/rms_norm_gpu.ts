// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import {floatUniforms} from './glsl_util';

/** rstd = 1 / sqrt(sumSq / rowSize + epsilon) per row: [rows]. */
export class RMSNormRstdProgram implements GPGPUProgram {
  variableNames = ['sumSq'];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(rows: number, rowSize: number) {
    this.outputShape = [rows];
    this.userCode = `
      void main() {
        setOutput(inversesqrt(getSumSqAtOutCoords() / float(${rowSize}) + epsilon));
      }
    `;
  }
}

/** y = x * rstd[row] * gamma[col] on a [rows, rowSize] view. */
export class RMSNormProgram implements GPGPUProgram {
  variableNames = ['x', 'rstd', 'gamma'];
  outputShape: number[];
  userCode = `
    void main() {
      ivec2 c = getOutputCoords();
      setOutput(getX(c.x, c.y) * getRstd(c.x) * getGamma(c.y));
    }
  `;

  constructor(shape: number[]) {
    this.outputShape = shape;
  }
}
