// SPDX-License-Identifier: Apache-2.0
/**
 * Product of shape[begin:end]: the size of a run of dims (tfjs's
 * util.sizeFromShape takes the whole shape).
 */
export function sizeOfDims(shape: readonly number[], begin = 0, end = shape.length): number {
  let size = 1;
  for (let i = begin; i < end; i++) {
    size *= shape[i];
  }
  return size;
}
