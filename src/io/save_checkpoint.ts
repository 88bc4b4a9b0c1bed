// SPDX-License-Identifier: Apache-2.0
/**
 * Writes tfjs tensors as a MindSpore checkpoint: the .ckpt protobuf (optionally
 * with MindSpore's crc trailer) or safetensors.
 */
import {Tensor} from '@tensorflow/tfjs-core';

import {argError, assertArg, assertOneOf, isInteger} from '../util/validation';
import {assertOptions} from '../util/option_keys';
import {encodeCheckpoint, ValueToWrite} from './checkpoint_encoder';
import {crc32} from './crc32';
import {crcTrailerFor} from './crc_trailer';
import {compareCodePoints} from './code_point_order';
import {MAX_PARAMETERS, MAX_RANK, MAX_SLICES} from './limits';
import {encodeSafetensors, SafetensorToWrite} from './safetensors_encoder';
import {STRING_TYPE, writeTypeOf} from './tensor_types';

const OP = 'saveMindSporeCheckpoint';

/** MindSpore splits a parameter's content into values of at most 512 MiB. */
const MINDSPORE_SLICE_BYTES = 512 * 1024 * 1024;

export interface SaveCheckpointOptions {
  /**
   * 'ckpt' (default): MindSpore's protobuf checkpoint. 'safetensors':
   * safetensors as `save_checkpoint(..., format="safetensors")` writes it
   * (MindSpore >= 2.4; metadata {"format": "ms"}); no string tensors.
   */
  format?: 'ckpt'|'safetensors';
  /**
   * 'ckpt' only. Largest tensor_content of one value, in bytes (rounded down
   * to whole elements); a bigger parameter is written as consecutive values
   * with the same tag, as MindSpore does. Default 512 MiB, MindSpore's slice
   * size.
   */
  sliceBytes?: number;
  /**
   * Add MindSpore's CRC-32 (`crc_check=True`, MindSpore >= 2.3): the
   * `crc_num` trailer of a .ckpt, or "crc_num" in the safetensors metadata.
   * Default false.
   */
  crcCheck?: boolean;
}

const OPTION_KEYS = ['format', 'sliceBytes', 'crcCheck'];
const FORMATS = ['ckpt', 'safetensors'] as const;

/** The tfjs dtype -> safetensors dtype of the writer. */
const SAFETENSORS_DTYPES: Readonly<Record<string, SafetensorToWrite['dtype']>> = {
  float32: 'F32',
  int32: 'I32',
  bool: 'BOOL',
};

const utf8 = new TextEncoder();

/**
 * Serializes tensors as a MindSpore checkpoint, readable by
 * `mindspore.load_checkpoint` and `readMindSporeCheckpoint`. Tags are the
 * map's keys (in order for 'ckpt'; safetensors sorts them). float32 is
 * written as Float32 (F32), int32 as Int32 (I32), bool as Bool (BOOL) and
 * string scalars as 'str' (.ckpt only); content is little-endian. A scalar
 * gets dims [0] in a .ckpt, MindSpore's scalar marker for every version, and
 * an empty rank-1 tensor dims [0] with no content; the reader tells them
 * apart by the content. The tensors are read (dataSync), not disposed.
 */
export function saveMindSporeCheckpoint(
    tensors: Map<string, Tensor>|Record<string, Tensor>,
    options: SaveCheckpointOptions = {}): Uint8Array {
  assertOptions(OP, 'options', options, OPTION_KEYS);
  const {format = 'ckpt', sliceBytes, crcCheck = false} = options;
  assertOneOf(OP, 'options.format', format, FORMATS);
  assertArg(typeof crcCheck === 'boolean', OP, 'options.crcCheck', 'a boolean', crcCheck);
  if (sliceBytes != null && format !== 'ckpt') {
    throw new Error(
        `${OP}: 'options.sliceBytes' applies to format 'ckpt' only (safetensors stores each ` +
        `tensor whole), but got sliceBytes ${sliceBytes} with format '${format}'.`);
  }
  const slice = sliceBytes ?? MINDSPORE_SLICE_BYTES;
  assertArg(isInteger(slice) && slice >= 1, OP, 'options.sliceBytes', 'an integer >= 1', slice);
  const entries = entriesOf(tensors);
  entries.forEach(([tag, t]) => checkTensor(tag, t, format));
  return format === 'ckpt' ? writeCkpt(entries, slice, crcCheck) :
                             writeSafetensors(entries, crcCheck);
}

function writeCkpt(entries: Array<[string, Tensor]>, sliceBytes: number, crcCheck: boolean):
    Uint8Array {
  const values: ValueToWrite[] = [];
  for (const [tag, t] of entries) {
    const dims = t.rank === 0 ? [0] : t.shape;
    const type = utf8.encode(t.dtype === 'string' ? STRING_TYPE : writeTypeOf(t.dtype)!);
    const {content, elementBytes} = encodeContent(t);
    const step = Math.max(elementBytes, sliceBytes - sliceBytes % elementBytes);
    const slices = Math.max(1, Math.ceil(content.byteLength / step));
    if (slices > MAX_SLICES) {
      throw new Error(
          `${OP}: 'tensors['${tag}']' would need ${slices} slices of ${step} bytes, more than ` +
          `the ${MAX_SLICES} a reader accepts: raise options.sliceBytes.`);
    }
    const tagBytes = utf8.encode(tag);
    for (let i = 0; i < slices; i++) {
      values.push({tag: tagBytes, dims, type, content: content.subarray(i * step, (i + 1) * step)});
    }
  }
  const bytes = encodeCheckpoint(values);
  if (!crcCheck) {
    return bytes;
  }
  const out = new Uint8Array(bytes.length + 17);
  out.set(bytes);
  out.set(crcTrailerFor(bytes), bytes.length);
  return out;
}

function writeSafetensors(entries: Array<[string, Tensor]>, crcCheck: boolean): Uint8Array {
  const items: SafetensorToWrite[] = entries.map(([name, t]) => ({
    name, dtype: SAFETENSORS_DTYPES[t.dtype], shape: t.shape, data: encodeContent(t).content,
  }));
  const metadata: Array<[string, string]> = [['format', 'ms']];
  if (crcCheck) {
    // MindSpore's _exec_save: the crc chained over each sorted name, then its data.
    let crc = 0;
    for (const item of items.slice().sort((a, b) => compareCodePoints(a.name, b.name))) {
      crc = crc32(utf8.encode(item.name), crc);
      crc = crc32(item.data, crc);
    }
    metadata.push(['crc_num', String(crc)]);
  }
  return encodeSafetensors(items, metadata, OP);
}

function entriesOf(tensors: Map<string, Tensor>|Record<string, Tensor>): Array<[string, Tensor]> {
  let entries: Array<[string, Tensor]>;
  if (tensors instanceof Map) {
    entries = [...tensors.entries()];
  } else if (tensors != null && typeof tensors === 'object' && !Array.isArray(tensors) &&
             !(tensors instanceof Tensor)) {
    entries = Object.entries(tensors);
  } else {
    throw argError(OP, 'tensors', 'a Map or an object from names to tensors', tensors);
  }
  if (entries.length === 0) {
    throw new Error(
        `${OP}: 'tensors' must hold at least one tensor, but it is empty (a checkpoint without ` +
        `values cannot be loaded, by MindSpore or by readMindSporeCheckpoint).`);
  }
  if (entries.length > MAX_PARAMETERS) {
    throw new Error(`${OP}: 'tensors' holds ${entries.length} tensors, more than the ` +
                    `${MAX_PARAMETERS} a reader accepts.`);
  }
  return entries;
}

/** The index of a lone UTF-16 surrogate in s (which UTF-8 cannot encode), or -1. */
function loneSurrogate(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

function checkTensor(tag: unknown, t: unknown, format: 'ckpt'|'safetensors'): void {
  assertArg(typeof tag === 'string' && tag.length > 0, OP, 'tensors', 'keyed by non-empty names',
      tag);
  const name = tag as string;
  const surrogate = loneSurrogate(name);
  if (surrogate >= 0) {
    throw new Error(
        `${OP}: 'tensors' must be keyed by well-formed Unicode names, but the name ` +
        `${JSON.stringify(name)} has a lone surrogate at index ${surrogate}, which UTF-8 cannot ` +
        `store (it would be written as U+FFFD and read back as another name).`);
  }
  if (format === 'safetensors' && name === '__metadata__') {
    throw new Error(
        `${OP}: 'tensors' cannot hold a tensor named '__metadata__' with format 'safetensors', ` +
        `where that key holds the file's metadata.`);
  }
  const arg = `tensors['${name}']`;
  if (!(t instanceof Tensor)) {
    throw argError(OP, arg, 'a tf.Tensor', t);
  }
  if (t.isDisposed) {
    throw new Error(`${OP}: '${arg}' is a disposed tensor.`);
  }
  if (t.dtype === 'string') {
    assertArg(format === 'ckpt', OP, arg,
        'a float32, int32 or bool tensor with format \'safetensors\' (safetensors has no strings)',
        t);
    assertArg(t.rank === 0, OP, arg, 'a scalar when its dtype is string', t);
    return;
  }
  assertArg(writeTypeOf(t.dtype) != null, OP, arg, 'a float32, int32, bool or string tensor', t);
  assertArg(t.rank <= MAX_RANK, OP, arg, `of rank <= ${MAX_RANK} (MindSpore's largest)`, t);
}

/** Little-endian bytes of a tensor's values, whatever the host's byte order. */
function encodeContent(t: Tensor): {content: Uint8Array, elementBytes: number} {
  if (t.dtype === 'string') {
    const text = t.dataSync<'string'>()[0] as string;
    const codes = Array.from(text, ch => ch.codePointAt(0)!);
    const content = new Uint8Array(codes.length * 4);
    const view = new DataView(content.buffer);
    codes.forEach((c, i) => view.setUint32(i * 4, c, true));
    return {content, elementBytes: 4};
  }
  const values = t.dataSync();
  if (t.dtype === 'bool') {
    return {content: Uint8Array.from(values, v => (v !== 0 ? 1 : 0)), elementBytes: 1};
  }
  const content = new Uint8Array(values.length * 4);
  const view = new DataView(content.buffer);
  for (let i = 0; i < values.length; i++) {
    if (t.dtype === 'float32') {
      view.setFloat32(i * 4, values[i], true);
    } else {
      view.setInt32(i * 4, values[i], true);
    }
  }
  return {content, elementBytes: 4};
}
