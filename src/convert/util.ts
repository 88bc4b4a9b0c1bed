// SPDX-License-Identifier: Apache-2.0
import {assertInRange01} from '../util/validation';

/**
 * Rounds a converted value to 15 significant digits, so 1 - 0.9 reads 0.1
 * and not 0.09999999999999998; far below float32's 7 digits, so no setting
 * changes. A value that would round past the largest double stays as it is.
 */
export function roundConverted(v: number): number {
  const rounded = Number(v.toPrecision(15));
  return Number.isFinite(rounded) ? rounded : v;
}

/**
 * A converter's result may be fed to the converter back ("round trip"): its
 * Exactness fields are accepted as arguments and ignored.
 */
export const EXACTNESS_KEYS: readonly string[] = ['exact', 'reason'];

/**
 * Checks a BatchNorm momentum given to a converter: a number in [0, 1].
 * `noneNote` says why null (a cumulative average, momentum=None) has no
 * counterpart in the target convention.
 */
export function assertMomentum(owner: string, momentum: unknown, noneNote: string):
    asserts momentum is number {
  if (momentum == null) {
    throw new Error(
        `${owner}: 'momentum' must be a number in range [0, 1], but got ${momentum}. (${noneNote})`);
  }
  assertInRange01(owner, 'momentum', momentum);
}

/**
 * A momentum moved between the conventions that weight the running statistic
 * and those that weight the batch one: 1 - m.
 */
export function flipMomentum(owner: string, momentum: unknown, noneNote: string): number {
  assertMomentum(owner, momentum, noneNote);
  return roundConverted(1 - momentum);
}
