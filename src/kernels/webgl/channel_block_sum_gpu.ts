// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {ChannelWindow, numBlocks} from './channel_window';

/**
 * Block sums for the windowed LRN passes: on an [N, C, P] view, output
 * [N, ceil(C / B), P] holds the sum of term(cc) over the B channels of each
 * block (ints n, p in scope). See channel_window.ts.
 */
export class ChannelBlockSumProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;

  /** `helpers`: GLSL functions the term calls (e.g. SQUARE_X). */
  constructor(
      variableNames: string[], shape: number[], w: ChannelWindow, term: (cc: string) => string,
      helpers = '') {
    this.variableNames = variableNames;
    const [batch, , plane] = shape;
    this.outputShape = [batch, numBlocks(w), plane];
    const b = w.blockSize;
    this.userCode = `
      ${helpers}

      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords.x;
        int p = coords.z;
        int first = coords.y * ${b};
        float sum = 0.0;
        for (int j = 0; j < ${b}; j++) {
          int cc = first + j;
          if (cc >= ${w.channels}) { break; }
          sum += ${term('cc')};
        }
        setOutput(sum);
      }
    `;
  }
}
