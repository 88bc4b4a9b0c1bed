// SPDX-License-Identifier: Apache-2.0
/**
 * Turns one parameter's stored bytes into tfjs-ready values, for both
 * formats: the element count checked against the bytes before anything is
 * allocated, then a decode by the type's table entry.
 */
import {TensorType, Values} from './tensor_types';

/** A validated, decoded parameter, ready to become a tensor. */
export interface Decoded {
  tag: string;
  shape: number[];
  values: Values|string;
}

/**
 * The number of elements of `dims`, or null when the non-zero dims multiply
 * past 2^53 (an empty tensor's other dims must be reasonable too).
 */
export function elementCount(dims: readonly number[]): number|null {
  let product = 1;
  let empty = false;
  for (const d of dims) {
    if (d === 0) {
      empty = true;
      continue;
    }
    product *= d;
    if (product > Number.MAX_SAFE_INTEGER) {
      return null;
    }
  }
  return empty ? 0 : product;
}

/**
 * Decodes `content` as `count` stored elements of `type`. `where` names the
 * parameter for messages (e.g. "readMindSporeCheckpoint: 'conv.weight' (Int64)").
 */
export function decodeValues(
    where: string, type: TensorType, content: Uint8Array, count: number): Values {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  return type.read(view, count, (index, value) => {
    throw new Error(
        `${where} holds ${value} at flat index ${index}, outside tfjs's int32 range ` +
        `[-2147483648, 2147483647].`);
  });
}

/** The tfjs shape of a stored shape: packed types widen the last dimension. */
export function valueShape(type: TensorType, dims: readonly number[]): number[] {
  if (type.valuesPerElement === 1) {
    return dims.slice();
  }
  const shape = dims.slice();
  shape[shape.length - 1] *= type.valuesPerElement;
  return shape;
}
