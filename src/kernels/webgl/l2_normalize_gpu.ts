// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {components, coordsType, floatUniforms} from './glsl_util';
import {keptCoords, sliceLoop} from './reduce_view';

/**
 * out = x * inversesqrt(max(sumSq, epsilon)) on a reduce view of x (see
 * reduce_view.ts). With `fused`, each output sums its own slice's squares
 * (one pass; for short reductions); otherwise it reads `sums`, the slice sums of squares
 * computed beforehand (shape keptShape). The clamp is written as a comparison
 * so that a NaN sum stays NaN (GLSL's max may return either operand).
 */
export class L2NormalizeProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(shape: number[], axes: number[], fused: boolean) {
    this.variableNames = fused ? ['x'] : ['x', 'sums'];
    this.outputShape = shape;
    const coords = components('coords', shape.length);
    const sumSq = fused ?
        `float sumSq = 0.0;
        ${sliceLoop(shape, axes, coords, c => `
          float v = getX(${c.join(', ')});
          sumSq += v * v;`)}` :
        `float sumSq = getSums(${keptCoords(coords, axes).join(', ')});`;
    this.userCode = `
      void main() {
        ${coordsType(shape.length)} coords = getOutputCoords();
        ${sumSq}
        float s = sumSq < epsilon ? epsilon : sumSq;
        setOutput(getX(${coords.join(', ')}) * inversesqrt(s));
      }
    `;
  }
}
