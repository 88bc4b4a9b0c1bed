// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {ChannelWindow, powNegBeta, windowSum} from './channel_window';
import {floatUniforms} from './glsl_util';

/**
 * The per-channel factor of MindSpore's LRNGrad, t = dy * x * s^(-beta-1),
 * from the scale s (LRNProgram without beta); element-wise on an [N, C, P] view.
 */
export class LRNGradTermProgram implements GPGPUProgram {
  variableNames = ['x', 'dy', 'scale'];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('beta');

  constructor(shape: number[], beta: number) {
    this.outputShape = shape;
    this.userCode = `
      void main() {
        float s = getScaleAtOutCoords();
        setOutput(getXAtOutCoords() * getDyAtOutCoords() * ${powNegBeta('s', beta)} / s);
      }
    `;
  }
}

/**
 * MindSpore LRNGrad on an [N, C, P] view:
 *   dx[c] = dy[c] * s[c]^-beta - 2 * alpha * beta * x[c] * sum_{|c'-c|<=r} t[c']
 * with s (`scale`) from LRNProgram (without beta) and t (`term`) from
 * LRNGradTermProgram; with the block scheme `blocks` holds per-block sums of t.
 */
export class LRNGradProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('alpha', 'beta');

  constructor(shape: number[], w: ChannelWindow, beta: number) {
    this.variableNames = ['x', 'dy', 'scale', 'term', ...(w.blockSize > 0 ? ['blocks'] : [])];
    this.outputShape = shape;
    this.userCode = `
      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords.x;
        int c = coords.y;
        int p = coords.z;
        ${windowSum(w, 'tSum', cc => `getTerm(n, ${cc}, p)`, 'getBlocks')}
        float s = getScale(n, c, p);
        float dx = getDy(n, c, p) * ${powNegBeta('s', beta)} -
            2.0 * alpha * beta * getX(n, c, p) * tSum;
        setOutput(dx);
      }
    `;
  }
}
