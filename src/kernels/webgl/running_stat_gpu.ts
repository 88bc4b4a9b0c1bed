import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

/**
 * One running-statistic update of ops.batch_norm, per channel:
 *   new = (1 - momentum) * running + momentum * batchSum * scale,
 * where batchSum * scale is the batch mean or (biased / unbiased) variance.
 */
export class RunningStatProgram implements GPGPUProgram {
  variableNames = ['running', 'batchSum'];
  outputShape: number[];
  userCode: string;
  customUniforms = [
    {name: 'momentum', type: 'float' as const},
    {name: 'scale', type: 'float' as const},
  ];

  constructor(channels: number) {
    this.outputShape = [channels];
    this.userCode = `
      void main() {
        int c = getOutputCoords();
        setOutput((1.0 - momentum) * getRunning(c) + momentum * (getBatchSum(c) * scale));
      }
    `;
  }
}
