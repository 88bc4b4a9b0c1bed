// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {ChannelWindow, powNegBeta, SQUARE_X, windowSum} from './channel_window';
import {floatUniforms} from './glsl_util';

/**
 * MindSpore LRN on an [N, C, P] view of NCHW input (P = H * W):
 *   out = x * (bias + alpha * sum_{|c'-c|<=r} x[c']^2)^-beta.
 * Without beta it writes the denominator base s = bias + alpha * sum instead
 * (LRNGrad's first pass). With the block scheme, `blocks`
 * ([N, ceil(C / B), P]) holds the per-block sums of x^2
 * (ChannelBlockSumProgram).
 */
export class LRNProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('bias', 'alpha');

  constructor(shape: number[], w: ChannelWindow, beta?: number) {
    this.variableNames = w.blockSize > 0 ? ['x', 'blocks'] : ['x'];
    this.outputShape = shape;
    if (beta != null) {
      this.customUniforms.push(...floatUniforms('beta'));
    }
    const square = (cc: string) => `squareX(n, ${cc}, p)`;
    this.userCode = `
      ${SQUARE_X}

      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords.x;
        int c = coords.y;
        int p = coords.z;
        ${windowSum(w, 'sqrSum', square, 'getBlocks')}
        float s = bias + alpha * sqrSum;
        setOutput(${beta == null ? 's' : `getX(n, c, p) * ${powNegBeta('s', beta)}`});
      }
    `;
  }
}
