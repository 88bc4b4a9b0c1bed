// SPDX-License-Identifier: Apache-2.0
/**
 * The crc trailer of MindSpore >= 2.3 (`save_checkpoint(..., crc_check=True)`):
 * after the last value, the 7 ASCII bytes `crc_num` and the CRC-32 of every
 * byte before them as a 10-byte big-endian integer. MindSpore's
 * mindspore/python/mindspore/train/serialization.py writes it in _exec_save
 * (`f.write('crc_num'.encode() + crc_num.to_bytes(10, byteorder='big'))`, the
 * crc chained over each serialized value with binascii.crc32) and strips it
 * in _parse_ckpt_proto on every load (`pb_content[-17:-10] == b"crc_num"`),
 * checking `binascii.crc32(pb_content, 0)` only when crc_check=True.
 */
import {crc32} from './crc32';

const MARK = [0x63, 0x72, 0x63, 0x5f, 0x6e, 0x75, 0x6d];  // 'crc_num'
const NUMBER_BYTES = 10;
export const CRC_TRAILER_BYTES = MARK.length + NUMBER_BYTES;

export interface CrcTrailer {
  /** Where the checkpoint's values end (the trailer's first byte). */
  end: number;
  /** The stored number in decimal (exact, even when it exceeds 32 bits). */
  stored: string;
  /** The stored number when it fits 32 bits, else null (it can match no CRC-32). */
  storedCrc: number|null;
}

/** The trailer at the end of `bytes`, or null when there is none. */
export function findCrcTrailer(bytes: Uint8Array): CrcTrailer|null {
  const end = bytes.length - CRC_TRAILER_BYTES;
  if (end < 0 || MARK.some((b, i) => bytes[end + i] !== b)) {
    return null;
  }
  const digits = bytes.subarray(end + MARK.length);
  let high = 0;
  for (let i = 0; i < NUMBER_BYTES - 4; i++) {
    high = high * 256 + digits[i];
  }
  const low = ((digits[6] << 24) | (digits[7] << 16) | (digits[8] << 8) | digits[9]) >>> 0;
  return {
    end,
    stored: high === 0 ? String(low) : bigDecimal(digits),
    storedCrc: high === 0 ? low : null,
  };
}

/** Decimal digits of a big-endian unsigned integer, by long division (no BigInt). */
function bigDecimal(bigEndian: Uint8Array): string {
  const digits = Array.from(bigEndian);
  let out = '';
  while (digits.some(d => d !== 0)) {
    let rest = 0;
    for (let i = 0; i < digits.length; i++) {
      const v = rest * 256 + digits[i];
      digits[i] = Math.floor(v / 10);
      rest = v % 10;
    }
    out = String(rest) + out;
  }
  return out || '0';
}

/** The 17 trailer bytes for the CRC-32 of `values` (the serialized values). */
export function crcTrailerFor(values: Uint8Array): Uint8Array {
  const crc = crc32(values);
  const out = new Uint8Array(CRC_TRAILER_BYTES);
  out.set(MARK);
  new DataView(out.buffer).setUint32(CRC_TRAILER_BYTES - 4, crc, false);
  return out;
}
