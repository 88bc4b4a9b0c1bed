// SPDX-License-Identifier: Apache-2.0
/**
 * BatchNorm momentum between conventions. MindSpore's nn.BatchNorm*d and
 * Keras weight the RUNNING statistic:
 *     moving = momentum * moving + (1 - momentum) * batch
 * PyTorch (and MindSpore's functional ops.batch_norm) weight the BATCH one:
 *     running = (1 - momentum) * running + momentum * batch
 * so PyTorch 0.1 == MindSpore 0.9 == Keras 0.9 (Keras's default is 0.99).
 */
import {assertMomentum, flipMomentum} from './util';

// Why momentum=None cannot be converted.
const NONE_NOTE = "PyTorch's momentum=None, a cumulative average, has no MindSpore equivalent.";

/** PyTorch BatchNorm momentum -> MindSpore nn.BatchNorm momentum: 1 - m. */
export function fromPyTorch(momentum: number): number {
  return flipMomentum('convert.momentum.fromPyTorch', momentum, NONE_NOTE);
}

/** MindSpore nn.BatchNorm momentum -> PyTorch BatchNorm momentum: 1 - m. */
export function toPyTorch(momentum: number): number {
  return flipMomentum('convert.momentum.toPyTorch', momentum, NONE_NOTE);
}

/** Keras/tfjs BatchNormalization momentum -> MindSpore: unchanged (same direction). */
export function fromKeras(momentum: number): number {
  assertMomentum('convert.momentum.fromKeras', momentum, NONE_NOTE);
  return momentum;
}

/** MindSpore nn.BatchNorm momentum -> Keras/tfjs BatchNormalization: unchanged. */
export function toKeras(momentum: number): number {
  assertMomentum('convert.momentum.toKeras', momentum, NONE_NOTE);
  return momentum;
}
