// SPDX-License-Identifier: Apache-2.0
/**
 * Reads MindSpore's safetensors checkpoints (see safetensors_header.ts) the
 * way mindspore.load_checkpoint(format="safetensors") does
 * (mindspore/python/mindspore/train/serialization.py, _load_into_param_dict):
 * names in sorted order; a tensor named in `__metadata__` with "Int4" is
 * qint4x2; with crc_check, the CRC-32 chained over each sorted name (UTF-8)
 * and then its data must equal the metadata's "crc_num".
 */
import {compareCodePoints} from './code_point_order';
import {crc32} from './crc32';
import {decodeValues, Decoded, elementCount, valueShape} from './decode_tensor';
import {ReadSettings, skipReason} from './read_settings';
import {parseSafetensorsHeader, SafetensorsEntry, typeOfDtype} from './safetensors_header';
import {TensorType, tensorTypeOf} from './tensor_types';

/** The metadata value MindSpore gives packed int4 tensors (str(mstype.qint4x2)). */
const INT4 = 'Int4';

/** Metadata keys MindSpore uses for the file itself, never a tensor's type. */
const FILE_KEYS = ['format', 'remove_redundancy', 'crc_num'];

interface Planned {
  entry: SafetensorsEntry;
  type: TensorType;
  typeName: string;
  count: number;
}

const utf8 = new TextEncoder();

export function readSafetensors(
    bytes: Uint8Array, headerLength: number, settings: ReadSettings, owner: string): Decoded[] {
  const {entries, metadata} = parseSafetensorsHeader(bytes, headerLength, owner);
  if (entries.length === 0) {
    throw new Error(
        `${owner}: the safetensors file holds no tensors (MindSpore writes such a file for an ` +
        `empty save_checkpoint); there is nothing to read.`);
  }
  const sorted = entries.slice().sort((a, b) => compareCodePoints(a.name, b.name));
  if (settings.verifyCrc) {
    verifyCrc(bytes, sorted, metadata, owner);
  }
  // Check every kept tensor before decoding any.
  const planned: Planned[] = [];
  for (const entry of sorted) {
    const reason = skipReason(entry.name, settings);
    if (reason != null) {
      settings.onSkip?.(entry.name, reason);
      continue;
    }
    planned.push(plan(entry, metadata, owner));
  }
  return planned.map(({entry, type, typeName, count}) => ({
    tag: entry.name,
    shape: valueShape(type, entry.shape),
    values: decodeValues(`${owner}: '${entry.name}' (${typeName})`, type,
                         bytes.subarray(entry.begin, entry.end), count),
  }));
}

function plan(entry: SafetensorsEntry, metadata: Map<string, string>, owner: string): Planned {
  const {name, dtype, shape} = entry;
  let typeName = typeOfDtype(dtype)!;
  const declared = FILE_KEYS.includes(name) ? undefined : metadata.get(name);
  if (declared != null) {
    if (declared !== INT4 || (dtype !== 'I8' && dtype !== 'U8')) {
      throw new Error(
          `${owner}: '__metadata__' gives '${name}' (${dtype}) the type '${declared}'; the ` +
          `only such type MindSpore writes is '${INT4}' on an I8 tensor (packed qint4x2).`);
    }
    if (shape.length === 0) {
      throw new Error(
          `${owner}: '${name}' (Int4) is a scalar; packed Int4 needs at least one dimension ` +
          `to unpack along.`);
    }
    typeName = INT4;
  }
  const type = tensorTypeOf(typeName)!;
  const count = elementCount(shape);
  if (count == null || count * type.bytes !== entry.end - entry.begin) {
    throw new Error(
        `${owner}: '${name}' (${dtype}, shape [${shape}]) needs ` +
        `${count == null ? 'more than 2^53' : count * type.bytes} bytes of data, but its ` +
        `data_offsets hold ${entry.end - entry.begin}.`);
  }
  return {entry, type, typeName, count};
}

function verifyCrc(
    bytes: Uint8Array, sorted: SafetensorsEntry[], metadata: Map<string, string>,
    owner: string): void {
  const stored = metadata.get('crc_num');
  if (stored == null) {
    throw new Error(
        `${owner}: options.verifyCrc is true, but the safetensors file has no 'crc_num' in ` +
        `its __metadata__: it was saved without crc_check=True.`);
  }
  let crc = 0;
  for (const e of sorted) {
    crc = crc32(utf8.encode(e.name), crc);
    crc = crc32(bytes, crc, e.begin, e.end);
  }
  if (stored !== String(crc)) {
    throw new Error(
        `${owner}: the crc check failed: '__metadata__' stores crc_num '${stored}', but the ` +
        `CRC-32 of the names and data is ${crc}: the file is damaged.`);
  }
}
