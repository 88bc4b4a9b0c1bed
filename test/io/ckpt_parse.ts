// SPDX-License-Identifier: Apache-2.0
/**
 * A minimal .ckpt parser for tests, written from the protobuf encoding spec
 * and MindSpore's checkpoint.proto (field numbers in wire.ts), independent of
 * the package's decoder: it lists the raw values of a well-formed file so
 * tests can rebuild it in other forms (crc trailer, safetensors).
 */

export interface RawValue {
  tag: string;
  dims: number[];
  type: string;
  content: Buffer;
}

function readVarint(b: Buffer, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = b[pos++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) {
      return [value, pos];
    }
  }
}

/** [field, wireType, payload start, payload end or varint value, next position] per field. */
function* fields(b: Buffer, start: number, end: number):
    Generator<{field: number, wire: number, start: number, end: number, value: number}> {
  let pos = start;
  while (pos < end) {
    let key: number;
    [key, pos] = readVarint(b, pos);
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      let value: number;
      [value, pos] = readVarint(b, pos);
      yield {field, wire, start: pos, end: pos, value};
    } else if (wire === 2) {
      let length: number;
      [length, pos] = readVarint(b, pos);
      yield {field, wire, start: pos, end: pos + length, value: length};
      pos += length;
    } else {
      throw new Error(`test parser: unexpected wire type ${wire}`);
    }
  }
}

/** The tensor values of a checkpoint (map tensors left out). */
export function parseCheckpoint(bytes: Uint8Array): RawValue[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: RawValue[] = [];
  for (const v of fields(b, 0, b.length)) {
    let tag = '';
    let tensor: {start: number, end: number}|null = null;
    for (const f of fields(b, v.start, v.end)) {
      if (f.field === 1) {
        tag = b.toString('utf8', f.start, f.end);
      } else if (f.field === 2) {
        tensor = f;
      }
    }
    if (tensor == null) {
      continue;
    }
    const value: RawValue = {tag, dims: [], type: '', content: Buffer.alloc(0)};
    for (const f of fields(b, tensor.start, tensor.end)) {
      if (f.field === 1) {
        value.dims.push(f.value);
      } else if (f.field === 2) {
        value.type = b.toString('utf8', f.start, f.end);
      } else if (f.field === 3) {
        value.content = b.subarray(f.start, f.end);
      }
    }
    out.push(value);
  }
  return out;
}

/** Consecutive values with one tag joined into one parameter. */
export function joinSlices(values: RawValue[]): RawValue[] {
  const out: RawValue[] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last != null && last.tag === v.tag) {
      last.content = Buffer.concat([last.content, v.content]);
    } else {
      out.push({...v});
    }
  }
  return out;
}
