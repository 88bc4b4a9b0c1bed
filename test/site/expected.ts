// SPDX-License-Identifier: Apache-2.0
/** What each column of the page's table must show, from float64 references. */
import {batchNormRef, groupNormRef, l2NormalizeRef, layerNormRef, lrnRef, rmsNormRef, runningStatsRef} from '../test_util';

import {torchLrnRef, torchNormalizeRef} from './references';

export type Expected = Record<string, number[]|null>;

const ones = (n: number) => new Array<number>(n).fill(1);
const zeros = (n: number) => new Array<number>(n).fill(0);

export function expectedColumns(op: string, variant: string, x: number[], shape: number[]): Expected {
  const rank = shape.length;
  const d = shape[rank - 1];
  const c = shape[1];
  const lastAxisL2 = (eps: number) => Array.from(l2NormalizeRef(x, shape, [rank - 1], eps));
  const lastAxisLn = (eps: number) =>
      Array.from(layerNormRef(x, shape, rank - 1, rank - 1, ones(d), zeros(d), eps).y);
  const bn = (training: boolean, eps: number) => Array.from(batchNormRef(x, shape, {
    axis: 1, training, runningMean: zeros(c), runningVar: ones(c), gamma: ones(c), beta: zeros(c),
    eps,
  }));
  switch (op) {
    case 'l2Normalize':
      return {
        ms: lastAxisL2(1e-4), torch: torchNormalizeRef(x, d, 1e-12), tfjs: lastAxisL2(1e-12),
        match: torchNormalizeRef(x, d, 1e-2),
      };
    case 'lrn': {
      const ms = Array.from(lrnRef(x, shape, 5, 1, 1, 0.5));
      return {
        ms, torch: torchLrnRef(x, shape, 11), tfjs: ms, match: torchLrnRef(x, shape, 11, 11, 0.5, 1),
      };
    }
    case 'groupNorm': {
      const gn = (gamma: number, beta: number) => Array.from(groupNormRef(
          x, shape, c % 2 === 0 ? 2 : 1, ones(c).fill(gamma), zeros(c).fill(beta), 1e-5));
      if (variant === 'op') {
        return {ms: gn(1, 0), torch: gn(1, 0), tfjs: null};
      }
      // MindSpore applies gamma 2, beta 0.5 with affine=False; PyTorch has no weight or bias.
      return {ms: gn(2, 0.5), torch: gn(1, 0), tfjs: null, match: gn(2, 0.5)};
    }
    case 'batchNorm':
      // A new MindSpore cell and a tfjs layer called without a mode run inference
      // (moving mean 0, variance 1); a new PyTorch module trains.
      return variant === 'train' ?
          {ms: bn(true, 1e-5), torch: bn(true, 1e-5), tfjs: bn(true, 1e-3), match: bn(true, 1e-5)} :
          {ms: bn(false, 1e-5), torch: bn(true, 1e-5), tfjs: bn(false, 1e-3), match: bn(false, 1e-5)};
    case 'layerNorm':
      return {ms: lastAxisLn(1e-7), torch: lastAxisLn(1e-5), tfjs: lastAxisLn(1e-3),
              match: lastAxisLn(1e-7)};
    case 'rmsNorm': {
      // MindSpore epsilon 1e-6; PyTorch's nn.RMSNorm(eps=None) takes float32's machine epsilon.
      const rms = (eps: number) => Array.from(rmsNormRef(x, ones(d), eps).y);
      return {ms: rms(1e-6), torch: rms(2 ** -23), tfjs: null, match: rms(1e-6)};
    }
    default:
      throw new Error(`no reference for op ${op}`);
  }
}

/**
 * Moving mean and variance after each of the batches (step 0: mean 0,
 * variance 1), op-level momentum (weight of the new batch).
 */
export function movingStatsAfterEachStep(
    batches: number[][], momentum: number, varianceUpdate: 'unbiased'|'biased') {
  const means: number[] = [];
  const variances: number[] = [];
  for (let step = 0; step <= batches.length; step++) {
    const {mean, variance} = runningStatsRef(
        batches.slice(0, step), [batches[0].length, 1], 1, [0], [1], momentum, varianceUpdate);
    means.push(mean[0]);
    variances.push(variance[0]);
  }
  return {means, variances};
}
