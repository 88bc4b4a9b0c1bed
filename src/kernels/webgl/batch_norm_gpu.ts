import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

/**
 * Batch-norm output on an [outer, C, inner] view:
 *   y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c],
 * with mean = `mean` / count and var = `variance` / count: the running
 * statistics with count 1 (inference), or the batch's Moments sums with
 * count = values per channel (training).
 */
export class BatchNormProgram implements GPGPUProgram {
  variableNames = ['x', 'mean', 'variance', 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = [{name: 'epsilon', type: 'float' as const}];

  constructor(shape: number[], count: number) {
    this.outputShape = shape;
    this.userCode = `
      void main() {
        ivec3 coords = getOutputCoords();
        int c = coords.y;
        float mean = getMean(c) / float(${count});
        float invStd = inversesqrt(getVariance(c) / float(${count}) + epsilon);
        setOutput((getXAtOutCoords() - mean) * invStd * getGamma(c) + getBeta(c));
      }
    `;
  }
}
