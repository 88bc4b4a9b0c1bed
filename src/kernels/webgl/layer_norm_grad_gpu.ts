// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';

/**
 * LayerNorm's dx on an [outer, blockSize] view, xhat = (x - mean) * invStd,
 * g = dy * gamma[e % paramSize], M = blockSize:
 *   dx = invStd * (g - mean(g) - xhat * mean(g * xhat))
 *        + dmean / M + 2 * dvariance * (x - mean) / M,
 * where `rowSums` ([2, outer]) holds sum(g) and sum(g * xhat) per row; the
 * last two terms (paths through the mean/variance outputs) appear only when
 * those gradients are given.
 */
export class LayerNormGradProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = [{name: 'epsilon', type: 'float' as const}];

  constructor(shape: number[], paramSize: number, hasDmean: boolean, hasDvariance: boolean) {
    this.outputShape = shape;
    this.variableNames = [
      'x', 'dy', ...MOMENT_NAMES, 'gamma', 'rowSums', ...(hasDmean ? ['dmean'] : []),
      ...(hasDvariance ? ['dvariance'] : []),
    ];
    const [, blockSize] = shape;
    const viaMean = hasDmean ? `dx += getDmean(o) / float(${blockSize});` : '';
    const viaVariance =
        hasDvariance ? `dx += 2.0 * getDvariance(o) * centered / float(${blockSize});` : '';
    this.userCode = `
      ${momentHelpers(1, blockSize)}

      void main() {
        ivec2 coords = getOutputCoords();
        int o = coords.x;
        int p = imod(o * ${blockSize} + coords.y, ${paramSize});
        float invStd = invStdOf(o);
        float centered = centredOf(getX(o, coords.y), o);
        float xhat = centered * invStd;
        float g = getDy(o, coords.y) * getGamma(p);
        float meanG = getRowSums(0, o) / float(${blockSize});
        float meanGXhat = getRowSums(1, o) / float(${blockSize});
        float dx = invStd * (g - meanG - xhat * meanGXhat);
        ${viaMean}
        ${viaVariance}
        setOutput(dx);
      }
    `;
  }
}
