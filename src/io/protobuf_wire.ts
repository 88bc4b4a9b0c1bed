// SPDX-License-Identifier: Apache-2.0
/**
 * The protobuf wire format, as far as MindSpore's checkpoint needs it:
 * base-128 varints, field keys and length-delimited fields. Reading works on
 * offsets into the caller's bytes (nothing is copied), so a caller can check
 * its limits field by field while decoding.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** Bytes of a fixed-width value, by wire type. */
const FIXED_BYTES: Readonly<Record<number, number>> = {[WIRE_FIXED64]: 8, [WIRE_FIXED32]: 4};

const TWO_32 = 4294967296;

/** A decoding failure at a byte offset; `truncated` when the bytes ended first. */
export class WireError extends Error {
  constructor(message: string, readonly offset: number, readonly truncated: boolean) {
    super(message);
  }
}

/** A field key: the field number and its wire type. */
export interface FieldKey {
  field: number;
  wire: number;
  /** Offset of the key's first byte. */
  at: number;
}

/** A cursor over bytes[pos, end). */
export class WireReader {
  pos: number;

  constructor(readonly bytes: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * A varint as two 32-bit words (protobuf varints carry at most 64 bits, in
   * at most 10 bytes).
   */
  private varintWords(): [number, number] {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        throw new WireError(
            `a varint starting at byte ${start} runs past the end (byte ${this.end})`, start, true);
      }
      const b = this.bytes[this.pos++];
      if (i < 4) {
        lo |= (b & 0x7f) << (7 * i);
      } else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else {
        hi |= (b & 0x7f) << (7 * i - 32);
      }
      if ((b & 0x80) === 0) {
        return [lo >>> 0, hi >>> 0];
      }
    }
    throw new WireError(`the varint at byte ${start} is longer than 10 bytes`, start, false);
  }

  /** An unsigned varint (exact below 2^53). */
  uint(): number {
    const [lo, hi] = this.varintWords();
    return hi * TWO_32 + lo;
  }

  /** A varint read as int64 (two's complement), exact within +-2^53. */
  int64(): number {
    const [lo, hi] = this.varintWords();
    return (hi | 0) * TWO_32 + lo;
  }

  key(): FieldKey {
    const at = this.pos;
    const k = this.uint();
    const field = Math.floor(k / 8);
    const wire = k % 8;
    if (field < 1 || field > 0x1fffffff) {
      throw new WireError(`byte ${at} starts a field key with field number ${field}`, at, false);
    }
    return {field, wire, at};
  }

  /** The [start, end) of a length-delimited payload, which must fit before `end`. */
  lengthDelimited(): [number, number] {
    const at = this.pos;
    const length = this.uint();
    const start = this.pos;
    if (length > this.end - start) {
      throw new WireError(
          `the field at byte ${at} needs ${length} bytes but only ${this.end - start} remain ` +
          `(it ends at byte ${start + length}, past byte ${this.end})`, at, true);
    }
    this.pos = start + length;
    return [start, this.pos];
  }

  /** Skips one field's value; groups (wire types 3, 4) and 6, 7 are errors. */
  skip(key: FieldKey): void {
    if (key.wire === WIRE_VARINT) {
      this.uint();
    } else if (key.wire === WIRE_LENGTH_DELIMITED) {
      this.lengthDelimited();
    } else if (key.wire === WIRE_FIXED64 || key.wire === WIRE_FIXED32) {
      this.fixed(FIXED_BYTES[key.wire], key);
    } else {
      throw new WireError(
          `the field key at byte ${key.at} has wire type ${key.wire}, which protobuf ` +
          `messages of this schema never use`, key.at, false);
    }
  }

  private fixed(n: number, key: FieldKey): void {
    if (this.end - this.pos < n) {
      throw new WireError(
          `the ${n}-byte field at byte ${key.at} runs past the end (byte ${this.end})`, key.at,
          true);
    }
    this.pos += n;
  }
}

/** Number of bytes of a non-negative integer's varint. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes a non-negative integer (< 2^53) as a varint; returns the next offset. */
export function writeVarint(out: Uint8Array, offset: number, n: number): number {
  while (n >= 128) {
    out[offset++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[offset++] = n;
  return offset;
}
