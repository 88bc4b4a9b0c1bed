// SPDX-License-Identifier: Apache-2.0
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
