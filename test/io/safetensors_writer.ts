// SPDX-License-Identifier: Apache-2.0
/**
 * An independent safetensors writer for tests, from the format's description
 * (huggingface/safetensors README): u64 little-endian header size, the JSON
 * header (space-padded to 8 bytes), the data. Entries are written in the
 * order given, so tests can also make files in any order.
 */

export interface SafetensorsItem {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

export function writeSafetensors(
    items: SafetensorsItem[], metadata?: Record<string, string>,
    headerEdit?: (header: Record<string, unknown>) => void): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata != null) {
    header['__metadata__'] = metadata;
  }
  let offset = 0;
  for (const item of items) {
    header[item.name] =
        {dtype: item.dtype, shape: item.shape, data_offsets: [offset, offset + item.data.length]};
    offset += item.data.length;
  }
  headerEdit?.(header);
  let json = JSON.stringify(header);
  while (Buffer.byteLength(json) % 8 !== 0) {
    json += ' ';
  }
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([size, Buffer.from(json), ...items.map(i => Buffer.from(i.data))]);
}

/** MindSpore tensor_type -> safetensors dtype. */
export const SAFETENSORS_DTYPE: Record<string, string> = {
  Float16: 'F16', BFloat16: 'BF16', Float32: 'F32', Float64: 'F64', Int8: 'I8', Int16: 'I16',
  Int32: 'I32', Int64: 'I64', UInt8: 'U8', UInt16: 'U16', UInt32: 'U32', UInt64: 'U64',
  Bool: 'BOOL',
};
