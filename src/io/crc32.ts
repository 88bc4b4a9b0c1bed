// SPDX-License-Identifier: Apache-2.0
/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of
 * Python's binascii.crc32 and zlib, which MindSpore uses for crc_check.
 */

let table: Uint32Array|null = null;

function crcTable(): Uint32Array {
  if (table == null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      table[n] = c >>> 0;
    }
  }
  return table;
}

/**
 * The CRC-32 of bytes[start, end), continuing from `crc` (the result of a
 * previous call), as binascii.crc32(data, crc) does.
 */
export function crc32(bytes: Uint8Array, crc = 0, start = 0, end = bytes.length): number {
  const t = crcTable();
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) {
    c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
