// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

/** Sums each row of a [rows, cols] matrix over runs of `windowSize` columns: [rows, ceil(cols / windowSize)]. */
export class RowSumProgram implements GPGPUProgram {
  variableNames = ['a'];
  outputShape: number[];
  userCode: string;

  constructor(rows: number, cols: number, windowSize: number) {
    this.outputShape = [rows, Math.ceil(cols / windowSize)];
    const guard = cols % windowSize === 0 ? '' : `if (start + j >= ${cols}) { break; }`;
    this.userCode = `
      void main() {
        ivec2 oc = getOutputCoords();
        int start = oc.y * ${windowSize};
        float sum = 0.0;
        for (int j = 0; j < ${windowSize}; j++) {
          ${guard}
          sum += getA(oc.x, start + j);
        }
        setOutput(sum);
      }
    `;
  }
}
