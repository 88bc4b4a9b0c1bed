// SPDX-License-Identifier: Apache-2.0
/**
 * Argument and input checks shared by the ops and layers. Every message names
 * the op or layer, the argument, what was expected and what was given.
 */
import {Tensor, tensor, TensorLike} from '@tensorflow/tfjs-core';

/** Renders a given value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (value instanceof Tensor) {
    return `a ${value.dtype} tensor of shape [${value.shape}]`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(describe).join(', ')}]`;
  }
  if (typeof value === 'number' && Object.is(value, -0)) {
    return '0';
  }
  try {
    return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

export function argError(owner: string, arg: string, expected: string, got: unknown): Error {
  return new Error(`${owner}: '${arg}' must be ${expected}, but got ${describe(got)}.`);
}

export function assertArg(
    condition: boolean, owner: string, arg: string, expected: string, got: unknown): void {
  if (!condition) {
    throw argError(owner, arg, expected, got);
  }
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function assertFiniteNumber(owner: string, arg: string, v: unknown): void {
  assertArg(isFiniteNumber(v), owner, arg, 'a finite number', v);
}

export function assertPositive(owner: string, arg: string, v: unknown): void {
  assertArg(isFiniteNumber(v) && v > 0, owner, arg, 'a finite number > 0', v);
}

export function assertPositiveInt(owner: string, arg: string, v: unknown): void {
  assertArg(isInteger(v) && v >= 1, owner, arg, 'an integer >= 1', v);
}

export function assertNonNegativeInt(owner: string, arg: string, v: unknown): void {
  assertArg(isInteger(v) && v >= 0, owner, arg, 'an integer >= 0', v);
}

export function assertInRange01(owner: string, arg: string, v: unknown): void {
  assertArg(isFiniteNumber(v) && v >= 0 && v <= 1, owner, arg, 'a number in range [0, 1]', v);
}

export function assertOneOf<T>(owner: string, arg: string, v: unknown, allowed: readonly T[]):
    void {
  assertArg(
      allowed.includes(v as T), owner, arg, `one of ${allowed.map(describe).join(', ')}`, v);
}

/**
 * Reads an enum-like string from a layer config. tfjs-layers rewrites saved
 * snake_case string values to camelCase on load ('NCHW' comes back as 'nchw',
 * 'ACROSS_CHANNELS' as 'acrossChannels'), so match ignoring case and
 * underscores; anything else is returned as given for the usual check.
 */
export function fromSerialized<T extends string>(value: unknown, allowed: readonly T[]): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const key = (s: string) => s.toLowerCase().replace(/_/g, '');
  return allowed.find(a => key(a) === key(value)) ?? value;
}

/** A disposed tensor passed as an argument (tfjs would fail later, without the op's name). */
export function disposedError(owner: string, arg: string, t: Tensor): Error {
  return new Error(`${owner}: '${arg}' is a disposed tensor: it must be a live tensor, but got ` +
                   `a disposed ${t.dtype} tensor of shape [${t.shape}].`);
}

/**
 * Converts a Tensor or TensorLike to a float32 tensor, rejecting disposed
 * tensors, non-float dtypes and ragged arrays with a message naming the op.
 * Call it inside an `op()` so a converted tensor is released on error paths.
 */
export function toFloatTensor(x: Tensor|TensorLike, arg: string, owner: string): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) {
      throw disposedError(owner, arg, x);
    }
    assertArg(x.dtype === 'float32', owner, arg, 'a float32 tensor', x);
    return x;
  }
  if (x == null || typeof x === 'string' || typeof x === 'boolean' ||
      (typeof x !== 'number' && typeof x !== 'object')) {
    throw argError(owner, arg, 'a float32 Tensor or a (nested) array of numbers', x);
  }
  assertRectangular(x, arg, owner);
  let t: Tensor;
  try {
    t = tensor(x as TensorLike);
  } catch (e) {
    throw new Error(
        `${owner}: '${arg}' must be a float32 Tensor or a rectangular (nested) array of ` +
        `numbers, but it could not be read: ${(e as Error).message}`);
  }
  if (t.dtype !== 'float32') {
    const dtype = t.dtype;
    t.dispose();
    throw new Error(`${owner}: '${arg}' must hold float32 numbers, but got ${dtype} values.`);
  }
  return t;
}

/**
 * tfjs's tensor() silently accepts ragged nested arrays (it checks shapes only
 * with a debug flag), producing a tensor whose size disagrees with its shape.
 */
function assertRectangular(x: unknown, arg: string, owner: string): void {
  if (!Array.isArray(x)) {
    return;
  }
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
  }
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(v) || ArrayBuffer.isView(v)) {
        throw new Error(
            `${owner}: '${arg}' is a ragged array: it must be a rectangular (nested) array of ` +
            `numbers, but ${path} nests deeper than ${path.replace(/\[\d+\]$/, '[0]')}.`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(
          `${owner}: '${arg}' must be a rectangular (nested) array of numbers, but ${path} ` +
          `has ${Array.isArray(v) ? v.length : 'no'} elements where ${shape[depth]} were expected.`);
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(x, 0, arg);
}

/** Input rank check. */
export function assertRank(
    owner: string, arg: string, x: Tensor, check: (rank: number) => boolean, expected: string):
    void {
  if (!check(x.rank)) {
    throw new Error(
        `${owner}: '${arg}' must be ${expected}, but got rank ${x.rank} (shape [${x.shape}]).`);
  }
}

/** Exact shape check for parameters such as gamma, beta and the running statistics. */
export function assertShape(owner: string, arg: string, t: Tensor, shape: number[]): void {
  const same = t.rank === shape.length && t.shape.every((d, i) => d === shape[i]);
  if (!same) {
    throw new Error(`${owner}: '${arg}' must have shape [${shape}], but got shape [${t.shape}].`);
  }
}

/**
 * Normalizes an axis or list of axes to sorted, unique, non-negative axes
 * in [0, rank), accepting negative axes as counted from the end.
 */
export function normalizeAxes(owner: string, arg: string, axis: unknown, rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  const range = `an integer in [${-rank}, ${rank})`;
  if (list.length === 0) {
    throw argError(owner, arg, `${range} or a non-empty list of them`, axis);
  }
  const out: number[] = [];
  for (const a of list) {
    assertArg(isInteger(a) && a >= -rank && a < rank, owner, arg,
        Array.isArray(axis) ? `a list of integers in [${-rank}, ${rank})` : range, axis);
    const pos = (a as number) < 0 ? (a as number) + rank : (a as number);
    if (out.includes(pos)) {
      throw argError(owner, arg, 'a list of distinct axes', axis);
    }
    out.push(pos);
  }
  return out.sort((p, q) => p - q);
}

/** An int or a non-empty list of positive ints, as a list. */
export function readNormalizedShape(owner: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  assertArg(Array.isArray(list) && list.length > 0 && list.every(d => isInteger(d) && d >= 1),
      owner, 'normalizedShape', 'a positive integer or a non-empty list of them', shape);
  return [...(list as number[])];
}
