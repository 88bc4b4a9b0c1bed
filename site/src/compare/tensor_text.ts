// SPDX-License-Identifier: Apache-2.0
/** The tensor box: nested arrays as text, read into values and a shape. */
export interface TensorData {
  values: number[];
  shape: number[];
}

export function parseTensor(text: string): TensorData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/[−–]/g, '-'));
  } catch {
    throw new Error('Write the tensor as nested arrays of numbers, e.g. [[1, 2, 3], [4, 5, 6]].');
  }
  const shape: number[] = [];
  for (let level: unknown = parsed; Array.isArray(level); level = level[0]) {
    if (level.length === 0) {
      throw new Error('Every dimension needs at least one entry.');
    }
    shape.push(level.length);
  }
  const values: number[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new Error(`Expected a finite number, got ${JSON.stringify(v)}.`);
      }
      values.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`The nested arrays are not rectangular (expected shape [${shape}]).`);
    }
    v.forEach(item => walk(item, depth + 1));
  };
  walk(parsed, 0);
  return {values, shape};
}

/** Nested-array text, one innermost row per line. */
export function formatTensor({values, shape}: TensorData): string {
  if (shape.length === 0) {
    return String(values[0]);
  }
  const write = (offset: number, depth: number, indent: string): string => {
    const size = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    if (depth === shape.length - 1) {
      return `[${values.slice(offset, offset + shape[depth]).join(', ')}]`;
    }
    const parts: string[] = [];
    for (let i = 0; i < shape[depth]; i++) {
      parts.push(write(offset + i * size, depth + 1, indent + ' '));
    }
    return `[${parts.join(`,\n${indent} `)}]`;
  };
  return write(0, 0, '');
}

/** The multi-index of a flat position, e.g. [0, 2, 1]. */
export function indexOf(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}
