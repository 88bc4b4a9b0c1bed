// SPDX-License-Identifier: Apache-2.0
/**
 * MindSpore `mint` (PyTorch's conventions) <-> MindSpore `nn` for the norm
 * cells: BatchNorm momentum and parameter names. mint weights the NEW batch
 * statistic (running = (1 - m) * running + m * batch), nn the OLD one, so
 * mint 0.1 == nn 0.9; both update the running variance with the unbiased
 * batch variance (nn's default varianceUpdate), so the conversion is exact.
 */
import {argError} from '../util/validation';
import {flipMomentum} from './util';

// Why momentum=None cannot be converted.
const NONE_NOTE = "mint's momentum=None, a cumulative average over num_batches_tracked, has no nn " +
    'equivalent.';

/** mint BatchNorm momentum -> nn.BatchNorm momentum: 1 - m. */
export function momentumFromMint(momentum: number): number {
  return flipMomentum('convert.mint.momentumFromMint', momentum, NONE_NOTE);
}

/** nn.BatchNorm momentum -> mint BatchNorm momentum: 1 - m. */
export function momentumToMint(momentum: number): number {
  return flipMomentum('convert.mint.momentumToMint', momentum, NONE_NOTE);
}

// A norm cell's mint parameter -> its nn weight name (null: nn has no such parameter).
const TO_NN: Record<string, string|null> = {
  weight: 'gamma',
  bias: 'beta',
  running_mean: 'moving_mean',
  running_var: 'moving_variance',
  num_batches_tracked: null,
};
// nn names, including the checkpoint names of BatchNorm's moving statistics.
const FROM_NN: Record<string, string> = {
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  mean: 'running_mean',
  moving_variance: 'running_var',
  variance: 'running_var',
};

/** The last component of a tag ('bn1.running_var') or the name itself, renamed; null drops it. */
function rename(owner: string, tag: string, table: Record<string, string|null>): string|null {
  if (typeof tag !== 'string') {
    throw argError(owner, 'tag', 'a parameter name or checkpoint tag (a string)', tag);
  }
  const dot = tag.lastIndexOf('.');
  const param = tag.slice(dot + 1);
  if (!Object.prototype.hasOwnProperty.call(table, param)) {
    throw argError(owner, 'tag', `a norm parameter among ${Object.keys(table).join(', ')}`, tag);
  }
  const renamed = table[param];
  return renamed == null ? null : tag.slice(0, dot + 1) + renamed;
}

/**
 * A mint norm cell's parameter name or checkpoint tag in nn's names:
 * 'bn.running_var' -> 'bn.moving_variance', 'weight' -> 'gamma'; null for
 * num_batches_tracked (nn keeps no count). Only for norm cells: a Dense's
 * 'weight' is not a gamma.
 */
export function paramNameToNn(tag: string): string|null {
  return rename('convert.mint.paramNameToNn', tag, TO_NN);
}

/** nn's name -> mint's: 'gamma' -> 'weight', 'bn.mean' / 'bn.moving_mean' -> 'bn.running_mean'. */
export function paramNameFromNn(tag: string): string {
  return rename('convert.mint.paramNameFromNn', tag, FROM_NN)!;
}
