// SPDX-License-Identifier: Apache-2.0
/**
 * Serializes checkpoint values as MindSpore's Python protobuf does: one
 * Checkpoint message per value, fields in number order (tag, tensor; dims
 * unpacked, tensor_type, tensor_content), every required field present.
 * See checkpoint_decoder.ts for the schema.
 */
import {varintSize, WIRE_LENGTH_DELIMITED, WIRE_VARINT, writeVarint} from './protobuf_wire';

export interface ValueToWrite {
  tag: Uint8Array;  // UTF-8
  dims: readonly number[];
  type: Uint8Array;  // UTF-8
  content: Uint8Array;
}

const KEY_1_LEN = (1 << 3) | WIRE_LENGTH_DELIMITED;
const KEY_2_LEN = (2 << 3) | WIRE_LENGTH_DELIMITED;
const KEY_3_LEN = (3 << 3) | WIRE_LENGTH_DELIMITED;
const KEY_1_VARINT = (1 << 3) | WIRE_VARINT;

const delimited = (n: number) => 1 + varintSize(n) + n;

function tensorSize(v: ValueToWrite): number {
  return v.dims.reduce((n, d) => n + 1 + varintSize(d), 0) + delimited(v.type.length) +
      delimited(v.content.length);
}

function valueSize(v: ValueToWrite): number {
  return delimited(v.tag.length) + delimited(tensorSize(v));
}

/** The bytes of all values, each wrapped as Checkpoint.value (field 1). */
export function encodeCheckpoint(values: readonly ValueToWrite[]): Uint8Array {
  const total = values.reduce((n, v) => n + delimited(valueSize(v)), 0);
  const out = new Uint8Array(total);
  let o = 0;
  const bytesField = (key: number, payload: Uint8Array) => {
    out[o++] = key;
    o = writeVarint(out, o, payload.length);
    out.set(payload, o);
    o += payload.length;
  };
  for (const v of values) {
    out[o++] = KEY_1_LEN;
    o = writeVarint(out, o, valueSize(v));
    bytesField(KEY_1_LEN, v.tag);
    out[o++] = KEY_2_LEN;
    o = writeVarint(out, o, tensorSize(v));
    for (const d of v.dims) {
      out[o++] = KEY_1_VARINT;
      o = writeVarint(out, o, d);
    }
    bytesField(KEY_2_LEN, v.type);
    bytesField(KEY_3_LEN, v.content);
  }
  return out;
}
