// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {MOMENT_NAMES, momentHelpers} from './moments';

/**
 * LayerNorm output on an [outer, blockSize] view (each row normalized
 * together, its Moments in `xShift`/`xSum`/`sqDev`): gamma/beta are flat [paramSize]
 * views of x.shape[bpa:], so element e reads parameter e % paramSize whether
 * bpa is before or after bna.
 */
export class LayerNormProgram implements GPGPUProgram {
  variableNames = ['x', ...MOMENT_NAMES, 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = [{name: 'epsilon', type: 'float' as const}];

  constructor(shape: number[], paramSize: number) {
    this.outputShape = shape;
    const [, blockSize] = shape;
    this.userCode = `
      ${momentHelpers(1, blockSize)}

      void main() {
        ivec2 coords = getOutputCoords();
        int o = coords.x;
        int p = imod(o * ${blockSize} + coords.y, ${paramSize});
        float xhat = centredOf(getX(o, coords.y), o) * invStdOf(o);
        setOutput(xhat * getGamma(p) + getBeta(p));
      }
    `;
  }
}

/**
 * The mean (shift + sum / count, `withShift`) or biased variance (sqDev /
 * count) output of LayerNorm from its Moments.
 */
export class MomentOutputProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;

  constructor(rows: number, count: number, withShift: boolean) {
    this.outputShape = [rows];
    this.variableNames = withShift ? ['shift', 'sums'] : ['sums'];
    const shift = withShift ? 'getShiftAtOutCoords() + ' : '';
    this.userCode = `
      void main() {
        setOutput(${shift}getSumsAtOutCoords() / float(${count}));
      }
    `;
  }
}
