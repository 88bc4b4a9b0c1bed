// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {components, coordsType} from './glsl_util';

/**
 * The first element of each slice of x (viewed as `shape`, reduced over
 * `axes`): output keptShape ([1] when nothing is kept). Moments sums around it.
 */
export class SliceFirstProgram implements GPGPUProgram {
  variableNames = ['x'];
  outputShape: number[];
  userCode: string;

  constructor(shape: number[], axes: number[]) {
    const kept = shape.map((_, i) => i).filter(i => !axes.includes(i));
    this.outputShape = kept.length > 0 ? kept.map(k => shape[k]) : [1];
    const out = components('oc', this.outputShape.length);
    const coords = shape.map((_, i) => (kept.includes(i) ? out[kept.indexOf(i)] : '0'));
    this.userCode = `
      void main() {
        ${coordsType(this.outputShape.length)} oc = getOutputCoords();
        setOutput(getX(${coords.join(', ')}));
      }
    `;
  }
}
