// SPDX-License-Identifier: Apache-2.0
/**
 * The few protobuf wire-format writes an ONNX ModelProto needs: varints,
 * length-delimited fields (strings, bytes, sub-messages), fixed32 floats.
 * Fields are written in the order the caller gives; zero values are written
 * too (proto3 readers accept explicit defaults).
 */

/** Wire types of the protobuf encoding. */
export const enum WireType {
  VARINT = 0,
  LEN = 2,
  FIXED32 = 5,
}

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private current: number[] = [];
  private length = 0;

  /** A varint of a safe integer; negative values take ten bytes (int64 two's complement). */
  varint(value: number): this {
    if (!Number.isSafeInteger(value)) {
      throw new Error(`protobuf: varint needs a safe integer, got ${value}`);
    }
    let [lo, hi] = split64(value);
    // Seven bits per byte, low first, high bit set while more follow.
    while (hi !== 0 || lo >= 0x80) {
      this.byte((lo & 0x7f) | 0x80);
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi = hi >>> 7;
    }
    return this.byte(lo);
  }

  private tag(field: number, wire: WireType): this {
    return this.varint(field * 8 + wire);
  }

  /** An int64 / int32 / enum field. */
  int(field: number, value: number): this {
    return this.tag(field, WireType.VARINT).varint(value);
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.FIXED32);
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.raw(littleEndian(bytes, 4));
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, WireType.LEN).varint(value.length).raw(value);
  }

  /** A sub-message, written by `write` into its own writer. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated varint field (ONNX's `ints`, `dims` are packed in proto3). */
  packedInts(field: number, values: number[]): this {
    const inner = new ProtoWriter();
    values.forEach(v => inner.varint(v));
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private byte(b: number): this {
    this.current.push(b);
    this.length++;
    return this;
  }

  private raw(bytes: Uint8Array): this {
    this.flush();
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private flush(): void {
    if (this.current.length > 0) {
      this.chunks.push(Uint8Array.from(this.current));
      this.current = [];
    }
  }
}

/** The low and high 32 bits (unsigned) of a safe integer's 64-bit two's complement. */
export function split64(value: number): [number, number] {
  const hi = Math.floor(value / 2 ** 32);
  return [(value - hi * 2 ** 32) >>> 0, hi >>> 0];
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Protobuf's fixed-width values are little-endian; typed arrays use the host's order. */
export function littleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (IS_LITTLE_ENDIAN) {
    return bytes;
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) {
    for (let k = 0; k < width; k++) {
      out[i + k] = bytes[i + width - 1 - k];
    }
  }
  return out;
}
