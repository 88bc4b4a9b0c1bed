// SPDX-License-Identifier: Apache-2.0
/** What each column of the page's table must show, from the float64 references. */
import * as r from './references';

export type Expected = Record<string, number[]|null>;

export function expectedColumns(op: string, variant: string, x: number[], shape: number[]): Expected {
  const d = shape[shape.length - 1];
  switch (op) {
    case 'l2Normalize':
      return {
        ms: r.l2SumOfSquares(x, d, 1e-4), torch: r.l2Norm(x, d, 1e-12),
        tfjs: r.l2SumOfSquares(x, d, 1e-12), match: r.l2Norm(x, d, 1e-2),
      };
    case 'lrn':
      return {
        ms: r.msLrn(x, shape), torch: r.torchLrn(x, shape, 11), tfjs: r.msLrn(x, shape),
        match: r.torchLrn(x, shape, 11, 11, 0.5, 1),
      };
    case 'groupNorm': {
      const groups = shape[1] % 2 === 0 ? 2 : 1;
      const y = r.groupNormRef(x, shape, groups);
      return {ms: y, torch: y, tfjs: null};
    }
    case 'batchNorm':
      return variant === 'train' ? {
        ms: r.batchNormTrain(x, shape, 1e-5), torch: r.batchNormTrain(x, shape, 1e-5),
        tfjs: r.batchNormTrain(x, shape, 1e-3), match: r.batchNormTrain(x, shape, 1e-5),
      } : {
        // A new MindSpore cell and a tfjs layer called without a mode: inference;
        // a new PyTorch module: training.
        ms: r.batchNormFresh(x, 1e-5), torch: r.batchNormTrain(x, shape, 1e-5),
        tfjs: r.batchNormFresh(x, 1e-3), match: r.batchNormFresh(x, 1e-5),
      };
    case 'layerNorm':
      return {
        ms: r.layerNormRef(x, d, 1e-7), torch: r.layerNormRef(x, d, 1e-5),
        tfjs: r.layerNormRef(x, d, 1e-3), match: r.layerNormRef(x, d, 1e-7),
      };
    default:
      throw new Error(`no reference for op ${op}`);
  }
}
