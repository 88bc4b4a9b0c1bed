import {assertArg, describe} from '../util/validation';

/**
 * Rounds a converted value to 15 significant digits, so 1 - 0.9 reads 0.1
 * and not 0.09999999999999998; far below float32's 7 digits, so no setting
 * changes.
 */
export function tidy(v: number): number {
  return Number(v.toPrecision(15));
}

export function assertObject(owner: string, arg: string, v: unknown): void {
  assertArg(v != null && typeof v === 'object' && !Array.isArray(v), owner, arg, 'an object', v);
}

export {describe};
