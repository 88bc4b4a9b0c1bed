// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {components, coordsType, floatUniforms} from './glsl_util';
import {keptCoords, sliceLoop} from './reduce_view';

/**
 * MindSpore L2NormalizeGrad on a reduce view, d = sqrt(max(sum x^2, eps)):
 *   dx = dy / d - x * sum(x * dy) / d^3, and dx = dy / d where the clamp is
 * active (d is then a constant). With `fused`, each output sums its slice
 * itself; otherwise `sums` ([2, ...keptShape]) holds sum(x^2) and sum(x * dy).
 */
export class L2NormalizeGradProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(shape: number[], axes: number[], fused: boolean) {
    this.variableNames = fused ? ['x', 'dy'] : ['x', 'dy', 'sums'];
    this.outputShape = shape;
    const coords = components('coords', shape.length);
    const slice = keptCoords(coords, axes).join(', ');
    const sums = fused ?
        `float sumSq = 0.0;
        float sumXDy = 0.0;
        ${sliceLoop(shape, axes, coords, c => `
          float v = getX(${c.join(', ')});
          sumSq += v * v;
          sumXDy += v * getDy(${c.join(', ')});`)}` :
        `float sumSq = getSums(0, ${slice});
        float sumXDy = getSums(1, ${slice});`;
    this.userCode = `
      void main() {
        ${coordsType(shape.length)} coords = getOutputCoords();
        ${sums}
        bool clamped = sumSq < epsilon;
        float inv = inversesqrt(clamped ? epsilon : sumSq);
        float proj = clamped ? 0.0 : sumXDy * inv * inv * inv;
        setOutput(getDy(${coords.join(', ')}) * inv - getX(${coords.join(', ')}) * proj);
      }
    `;
  }
}
