// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {DataFormat} from '../../kernel_names';
import {components, coordsType, floatUniforms} from './glsl_util';

/**
 * Inference batch-norm output on an unpacked [outer, C, inner] view:
 *   y = (x - movingMean[c]) / sqrt(movingVar[c] + eps) * gamma[c] + beta[c].
 */
export class BatchNormInferenceProgram implements GPGPUProgram {
  variableNames = ['x', 'mean', 'variance', 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = floatUniforms('epsilon');

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.userCode = `
      void main() {
        int c = getOutputCoords().y;
        float invStd = inversesqrt(getVariance(c) + epsilon);
        setOutput((getXAtOutCoords() - getMean(c)) * invStd * getGamma(c) + getBeta(c));
      }
    `;
  }
}

/**
 * The per-channel parameters of the packed inference program in one packed
 * [3, C] texture, rows mean, gamma / sqrt(var + eps) and beta: one small pass
 * over unpacked inputs, instead of packing each of the four separately.
 */
export class BatchNormParamsProgram implements GPGPUProgram {
  variableNames = ['mean', 'variance', 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  packedOutput = true;
  customUniforms = floatUniforms('epsilon');

  constructor(channels: number) {
    this.outputShape = [3, channels];
    this.userCode = `
      float param(int row, int c) {
        if (c >= ${channels}) {
          return 0.0;
        }
        if (row == 0) {
          return getMean(c);
        }
        if (row == 1) {
          return getGamma(c) * inversesqrt(getVariance(c) + epsilon);
        }
        return row == 2 ? getBeta(c) : 0.0;
      }

      void main() {
        ivec2 rc = getOutputCoords();
        setOutput(vec4(param(rc.x, rc.y), param(rc.x, rc.y + 1),
                       param(rc.x + 1, rc.y), param(rc.x + 1, rc.y + 1)));
      }
    `;
  }
}

/**
 * Inference batch-norm on packed x in its own shape (no unpack pass): each
 * texel is a 2x2 block of the last two axes, y = (x - mean) * scale + beta
 * with the rows of BatchNormParamsProgram. A texel's channels: the column
 * pair when the channel axis is last, the row pair when it is second to
 * last, else one channel. Pairs start at an even index, so one texel of the
 * parameters holds both.
 */
export class BatchNormInferencePackedProgram implements GPGPUProgram {
  variableNames = ['x', 'params'];
  outputShape: number[];
  userCode: string;
  packedInputs = true;
  packedOutput = true;

  constructor(shape: number[], dataFormat: DataFormat) {
    this.outputShape = shape;
    const rank = shape.length;
    const axis = dataFormat === 'NHWC' ? rank - 1 : 1;
    const rc = components('rc', rank);
    let channel: string;
    let lanes: (v: string) => string;
    if (axis === rank - 1) {
      channel = rc[rank - 1];
      lanes = v => `${v}.xyxy`;
    } else if (axis === rank - 2) {
      channel = rc[rank - 2];
      lanes = v => `${v}.xxyy`;
    } else {
      channel = rc[axis];
      lanes = v => `(odd ? ${v}.yyyy : ${v}.xxxx)`;
    }
    this.userCode = `
      void main() {
        ${coordsType(rank)} rc = getOutputCoords();
        int c = ${channel};
        bool odd = imod(c, 2) == 1;
        vec4 meanScale = getParams(0, c);
        vec4 beta = getParams(2, c);
        vec4 mean = ${lanes('meanScale.xy')};
        vec4 scale = ${lanes('meanScale.zw')};
        setOutput((getXAtOutCoords() - mean) * scale + ${lanes('beta.xy')});
      }
    `;
  }
}
