// SPDX-License-Identifier: Apache-2.0
/**
 * A protobuf wire-format assembler written from the encoding spec alone
 * (varints, field keys, length-delimited fields), independent of the package's
 * src/io/protobuf_wire.ts,
 * so checkpoint bytes made here test the reader and the writer from outside.
 *
 * Field numbers from MindSpore's checkpoint.proto:
 *   Checkpoint.value = 1; Value.tag = 1, Value.tensor = 2, Value.maptensor = 3;
 *   TensorProto.dims = 1, .tensor_type = 2, .tensor_content = 3;
 *   MapTensorProto.tensor = 1.
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;

/**
 * Base-128 varint of an integer in (-2^53, 2^53): 7 bits per byte, low
 * groups first, high bit set on all but the last byte. Negative values are
 * their 64-bit two's complement (ten bytes), as protobuf encodes int64.
 */
export function varint(n: number): number[] {
  let lo = n >>> 0;
  let hi = Math.floor(n / 4294967296) >>> 0;  // two's complement high word for negatives
  const out: number[] = [];
  while (hi !== 0 || lo > 0x7f) {
    out.push((lo & 0x7f) | 0x80);
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi = hi >>> 7;
  }
  out.push(lo);
  return out;
}

export function key(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

export function lengthDelimited(field: number, payload: ArrayLike<number>): number[] {
  return [...key(field, LENGTH_DELIMITED), ...varint(payload.length), ...Array.from(payload)];
}

export function utf8(s: string): number[] {
  return Array.from(Buffer.from(s, 'utf8'));
}

export interface TensorFields {
  dims: number[];
  type: string;
  content: ArrayLike<number>;
  /** Write dims as one packed field instead of one varint field per dim (proto2's default). */
  packed?: boolean;
}

/** TensorProto body. */
export function tensorProto({dims, type, content, packed = false}: TensorFields): number[] {
  const dimBytes = packed ?
      (dims.length > 0 ? lengthDelimited(1, dims.flatMap(varint)) : []) :
      dims.flatMap(d => [...key(1, VARINT), ...varint(d)]);
  return [...dimBytes, ...lengthDelimited(2, utf8(type)), ...lengthDelimited(3, content)];
}

/** One Checkpoint.value entry holding a tensor: the bytes of field 1 of Checkpoint. */
export function tensorValue(tag: string, fields: TensorFields): number[] {
  return lengthDelimited(1, [...lengthDelimited(1, utf8(tag)), ...lengthDelimited(2, tensorProto(fields))]);
}

/** One Checkpoint.value entry holding a map tensor (MapTensorProto with the given tensors). */
export function mapTensorValue(tag: string, tensors: TensorFields[]): number[] {
  const map = tensors.flatMap(t => lengthDelimited(1, tensorProto(t)));
  return lengthDelimited(1, [...lengthDelimited(1, utf8(tag)), ...lengthDelimited(3, map)]);
}

export function checkpoint(values: number[][]): Uint8Array {
  return Uint8Array.from(values.flat());
}

// ---------------------------------------------------------------------------
// Little-endian tensor_content, through Node's Buffer writers.

function le(count: number, bytes: number, write: (b: Buffer, v: number, o: number) => void,
    values: number[]): number[] {
  const b = Buffer.alloc(count * bytes);
  values.forEach((v, i) => write(b, v, i * bytes));
  return Array.from(b);
}

export const f32 = (v: number[]) => le(v.length, 4, (b, x, o) => b.writeFloatLE(x, o), v);
export const f64 = (v: number[]) => le(v.length, 8, (b, x, o) => b.writeDoubleLE(x, o), v);
export const i8 = (v: number[]) => le(v.length, 1, (b, x, o) => b.writeInt8(x, o), v);
export const u8 = (v: number[]) => le(v.length, 1, (b, x, o) => b.writeUInt8(x, o), v);
export const i16 = (v: number[]) => le(v.length, 2, (b, x, o) => b.writeInt16LE(x, o), v);
export const u16 = (v: number[]) => le(v.length, 2, (b, x, o) => b.writeUInt16LE(x, o), v);
export const i32 = (v: number[]) => le(v.length, 4, (b, x, o) => b.writeInt32LE(x, o), v);
export const u32 = (v: number[]) => le(v.length, 4, (b, x, o) => b.writeUInt32LE(x, o), v);
/** 64-bit integers within +-2^53, as low and high 32-bit words. */
export const i64 = (v: number[]) => le(v.length, 8, (b, x, o) => {
  b.writeUInt32LE(x >>> 0, o);
  b.writeUInt32LE(Math.floor(x / 4294967296) >>> 0, o + 4);
}, v);
/** Raw 16-bit patterns (float16 / bfloat16 bits). */
export const bits16 = u16;
/** numpy's fixed-width unicode: UTF-32LE code points. */
export const utf32 = (s: string, padTo = 0) => {
  const codes = Array.from(s, ch => ch.codePointAt(0)!);
  while (codes.length < padTo) {
    codes.push(0);
  }
  return u32(codes);
};
