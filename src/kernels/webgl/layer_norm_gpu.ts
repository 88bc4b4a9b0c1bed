import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {momentHelpers} from './moments';

/**
 * LayerNorm output on an [outer, blockSize] view (each row normalized
 * together, its Moments in `xSum`/`sqDev`): gamma/beta are flat [paramSize]
 * views of x.shape[bpa:], so element e reads parameter e % paramSize whether
 * bpa is before or after bna.
 */
export class LayerNormProgram implements GPGPUProgram {
  variableNames = ['x', 'xSum', 'sqDev', 'gamma', 'beta'];
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
        float xhat = (getX(o, coords.y) - meanOf(o)) * invStdOf(o);
        setOutput(xhat * getGamma(p) + getBeta(p));
      }
    `;
  }
}

/** The mean or biased variance output of LayerNorm from its Moments: sum / count. */
export class MomentOutputProgram implements GPGPUProgram {
  variableNames = ['sums'];
  outputShape: number[];
  userCode: string;

  constructor(rows: number, count: number) {
    this.outputShape = [rows];
    this.userCode = `
      void main() {
        setOutput(getSumsAtOutCoords() / float(${count}));
      }
    `;
  }
}
