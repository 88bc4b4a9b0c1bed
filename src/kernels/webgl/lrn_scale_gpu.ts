import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {ChannelWindow, SQUARE_X, windowSum} from './channel_window';

/**
 * The LRN denominator base s = bias + alpha * sum_{|c'-c|<=r} x[c']^2 on an
 * [N, C, P] view (first pass of LRNGrad; `blocks` as in LRNProgram).
 */
export class LRNScaleProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = [
    {name: 'bias', type: 'float' as const},
    {name: 'alpha', type: 'float' as const},
  ];

  constructor(shape: number[], w: ChannelWindow) {
    this.variableNames = w.blockSize > 0 ? ['x', 'blocks'] : ['x'];
    this.outputShape = shape;
    const square = (cc: string) => `squareX(n, ${cc}, p)`;
    this.userCode = `
      ${SQUARE_X}

      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords.x;
        int c = coords.y;
        int p = coords.z;
        ${windowSum(w, 'sqrSum', square, 'getBlocks')}
        setOutput(bias + alpha * sqrSum);
      }
    `;
  }
}
