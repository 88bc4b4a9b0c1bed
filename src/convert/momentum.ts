// SPDX-License-Identifier: Apache-2.0
/**
 * BatchNorm momentum between conventions. MindSpore's nn.BatchNorm*d and
 * Keras weight the RUNNING statistic:
 *     moving = momentum * moving + (1 - momentum) * batch
 * PyTorch (and MindSpore's functional ops.batch_norm) weight the BATCH one:
 *     running = (1 - momentum) * running + momentum * batch
 * so PyTorch 0.1 == MindSpore 0.9 == Keras 0.9 (Keras's default is 0.99).
 */
import {assertInRange01} from '../util/validation';
import {roundConverted} from './util';

function check(owner: string, momentum: unknown): asserts momentum is number {
  if (momentum == null) {
    throw new Error(
        `${owner}: 'momentum' must be a number in range [0, 1], but got ${momentum}. ` +
        `(PyTorch's momentum=None, a cumulative average, has no MindSpore equivalent.)`);
  }
  assertInRange01(owner, 'momentum', momentum);
}

/** PyTorch BatchNorm momentum -> MindSpore nn.BatchNorm momentum: 1 - m. */
export function fromPyTorch(momentum: number): number {
  check('convert.momentum.fromPyTorch', momentum);
  return roundConverted(1 - momentum);
}

/** MindSpore nn.BatchNorm momentum -> PyTorch BatchNorm momentum: 1 - m. */
export function toPyTorch(momentum: number): number {
  check('convert.momentum.toPyTorch', momentum);
  return roundConverted(1 - momentum);
}

/** Keras/tfjs BatchNormalization momentum -> MindSpore: unchanged (same direction). */
export function fromKeras(momentum: number): number {
  check('convert.momentum.fromKeras', momentum);
  return momentum;
}

/** MindSpore nn.BatchNorm momentum -> Keras/tfjs BatchNormalization: unchanged. */
export function toKeras(momentum: number): number {
  check('convert.momentum.toKeras', momentum);
  return momentum;
}
