// SPDX-License-Identifier: Apache-2.0
/**
 * MindSpore tensor_type strings and how their little-endian tensor_content
 * becomes tfjs data. tfjs has only float32, int32 and bool numeric dtypes:
 * every float type is read as float32 (Float16 and BFloat16 decoded by hand,
 * Float64 rounded), every integer type as int32 with a range check (a value
 * outside int32 is an error, never a silent wrap).
 */
import {DataType} from '@tensorflow/tfjs-core';

export type Values = Float32Array|Int32Array|Uint8Array;

/** Called when an integer does not fit int32; `value` is exact up to 2^53. */
export type OutOfRange = (index: number, value: number) => never;

export interface TensorType {
  /** Bytes per stored element. */
  bytes: number;
  dtype: DataType;
  /** Values per stored element: 2 for packed int4 (the last dimension doubles), else 1. */
  valuesPerElement: number;
  read(view: DataView, count: number, outOfRange: OutOfRange): Values;
}

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;
const TWO_32 = 4294967296;

/** IEEE 754 binary16 to a number: 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) {
    return sign * mantissa * 2 ** -24;  // zero or subnormal
  }
  if (exponent === 0x1f) {
    return mantissa === 0 ? sign * Infinity : NaN;
  }
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function floats(read: (view: DataView, offset: number) => number, bytes: number): TensorType {
  return {
    bytes,
    dtype: 'float32',
    valuesPerElement: 1,
    read: (view, count) => {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        out[i] = read(view, i * bytes);
      }
      return out;
    },
  };
}

/**
 * Integers, each `read` exactly (up to 2^53) so that a value outside int32 is
 * reported, never wrapped. A loop of its own, not shared with floats(): one
 * loop storing into both array types runs 1.5 to 5 times slower.
 */
function ints(read: (view: DataView, offset: number) => number, bytes: number): TensorType {
  return {
    bytes,
    dtype: 'int32',
    valuesPerElement: 1,
    read: (view, count, outOfRange) => {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = read(view, i * bytes);
        if (v > INT32_MAX || v < INT32_MIN) {
          outOfRange(i, v);
        }
        out[i] = v;
      }
      return out;
    },
  };
}

/** 64-bit integers, read as two 32-bit halves (no BigInt needed). */
function int64(signed: boolean): TensorType {
  return ints((v, o) => (signed ? v.getInt32(o + 4, true) : v.getUint32(o + 4, true)) * TWO_32 +
                  v.getUint32(o, true), 8);
}

let halfTable: Float32Array|null = null;

/** All 65536 halves as float32, built on first use (a lookup is ~10x faster than decoding). */
function float16Table(): Float32Array {
  if (halfTable == null) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) {
      halfTable[bits] = float16ToNumber(bits);
    }
  }
  return halfTable;
}

const bfloat16Bits = new Uint32Array(1);
const bfloat16Value = new Float32Array(bfloat16Bits.buffer);

/**
 * MindSpore's qint4x2 ('Int4'): each stored byte holds two signed 4-bit
 * values along the last axis, element 2i in the low nibble and 2i+1 in the
 * high nibble. That is the packing of golden-stick's np_int4data_pack_to_int8
 * (mindspore-ai/golden-stick, mindspore_gs/quantization/quant_utils.py, and
 * the same helper in MindSpore's WeightQuantBatchMatmul tests): `data &= 0xF;
 * data[:, 1::2] <<= 4; packed = data[:, 0::2] | data[:, 1::2]`.
 */
const int4x2: TensorType = {
  bytes: 1,
  dtype: 'int32',
  valuesPerElement: 2,
  read: (view, count) => {
    const out = new Int32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const b = view.getUint8(i);
      out[2 * i] = ((b & 0x0f) << 28) >> 28;  // sign-extend the nibble
      out[2 * i + 1] = (b << 24) >> 28;
    }
    return out;
  },
};

/** tensor_type string -> decoder. 'Uint8' is an alternative spelling of 'UInt8'. */
const TENSOR_TYPES: Readonly<Record<string, TensorType>> = {
  Float16: floats((v, o) => float16Table()[v.getUint16(o, true)], 2),
  // bfloat16 is the upper half of a float32.
  BFloat16: floats((v, o) => {
    bfloat16Bits[0] = v.getUint16(o, true) << 16;
    return bfloat16Value[0];
  }, 2),
  Float32: floats((v, o) => v.getFloat32(o, true), 4),
  Float64: floats((v, o) => v.getFloat64(o, true), 8),
  Int8: ints((v, o) => v.getInt8(o), 1),
  Int16: ints((v, o) => v.getInt16(o, true), 2),
  Int32: ints((v, o) => v.getInt32(o, true), 4),
  Int64: int64(true),
  UInt8: ints((v, o) => v.getUint8(o), 1),
  Uint8: ints((v, o) => v.getUint8(o), 1),
  UInt16: ints((v, o) => v.getUint16(o, true), 2),
  UInt32: ints((v, o) => v.getUint32(o, true), 4),
  UInt64: int64(false),
  Int4: int4x2,
  Bool: {
    bytes: 1,
    dtype: 'bool',
    valuesPerElement: 1,
    read: (view, count) => {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        out[i] = view.getUint8(i) !== 0 ? 1 : 0;
      }
      return out;
    },
  },
};

/** Names of the known tensor_types, for error messages. */
export const TENSOR_TYPE_NAMES: readonly string[] = Object.keys(TENSOR_TYPES);

/**
 * The decoder of a tensor_type read from a file: an own property only, so a
 * name such as 'constructor' or '__proto__' is unknown, not Object.prototype's.
 */
export function tensorTypeOf(name: string): TensorType|undefined {
  return Object.prototype.hasOwnProperty.call(TENSOR_TYPES, name) ? TENSOR_TYPES[name] : undefined;
}

/** MindSpore writes Python strings as type 'str': numpy UTF-32LE, padded with NULs. */
export const STRING_TYPE = 'str';

/** RNG state saved by MindSpore under the tag 'random_op': bytes, not a tensor. */
export const RANDOM_STATE_TYPE = 'random_op';

/** Decodes UTF-32LE, dropping numpy's trailing NUL padding; null if a code point is invalid. */
export function decodeUtf32(bytes: Uint8Array): string|null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.byteLength;
  while (end >= 4 && view.getUint32(end - 4, true) === 0) {
    end -= 4;
  }
  let out = '';
  for (let o = 0; o < end; o += 4) {
    const code = view.getUint32(o, true);
    if (code > 0x10ffff) {
      return null;
    }
    out += String.fromCodePoint(code);
  }
  return out;
}

/** The tensor_type the writer uses for each numeric tfjs dtype (string scalars are 'str'). */
const WRITE_TYPES: Readonly<Partial<Record<string, string>>> = {
  float32: 'Float32',
  int32: 'Int32',
  bool: 'Bool',
};

export function writeTypeOf(dtype: DataType): string|undefined {
  return Object.prototype.hasOwnProperty.call(WRITE_TYPES, dtype) ? WRITE_TYPES[dtype] : undefined;
}
