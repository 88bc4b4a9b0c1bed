// SPDX-License-Identifier: Apache-2.0
/**
 * MindSpore's `mint` norms: PyTorch's conventions inside MindSpore (momentum
 * 0.1 on the new batch statistic, `weight`/`bias`/`running_mean`/`running_var`/
 * `num_batches_tracked`, eps 1e-5, cells that start in training). The layers
 * and functions reuse the package's kernels; only the conventions differ from
 * the `layers` (MindSpore `nn`) namespace.
 */
import {MintBatchNormArgs} from './batch_norm_base';
import {MintBatchNorm1d} from './BatchNorm1d';
import {MintBatchNorm2d} from './BatchNorm2d';
import {MintBatchNorm3d} from './BatchNorm3d';
import {MintGroupNorm, MintGroupNormArgs} from './GroupNorm';
import {MintLayerNorm, MintLayerNormArgs} from './LayerNorm';

export * as functional from './functional';
export {MintBatchNorm1d, MintBatchNorm2d, MintBatchNorm3d, MintGroupNorm, MintLayerNorm};
export {MintBatchNormBase} from './batch_norm_base';
export type {MintBatchNormArgs} from './batch_norm_base';
export type {MintGroupNormArgs} from './GroupNorm';
export type {MintLayerNormArgs} from './LayerNorm';

export function batchNorm1d(args: MintBatchNormArgs): MintBatchNorm1d {
  return new MintBatchNorm1d(args);
}

export function batchNorm2d(args: MintBatchNormArgs): MintBatchNorm2d {
  return new MintBatchNorm2d(args);
}

export function batchNorm3d(args: MintBatchNormArgs): MintBatchNorm3d {
  return new MintBatchNorm3d(args);
}

export function groupNorm(args: MintGroupNormArgs): MintGroupNorm {
  return new MintGroupNorm(args);
}

export function layerNorm(args: MintLayerNormArgs): MintLayerNorm {
  return new MintLayerNorm(args);
}
