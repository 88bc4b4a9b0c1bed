// SPDX-License-Identifier: Apache-2.0
/**
 * Reads a MindSpore checkpoint (.ckpt protobuf, with or without a crc
 * trailer, or safetensors) into tfjs tensors.
 */
import {dispose, Tensor, tensor} from '@tensorflow/tfjs-core';

import {assertArg, isInteger} from '../util/validation';
import {CheckpointSource, sourceBytes} from './bytes_source';
import {assertOptions} from '../util/option_keys';
import {CheckpointEntry, decodeCheckpoint} from './checkpoint_decoder';
import {findCrcTrailer} from './crc_trailer';
import {crc32} from './crc32';
import {decodeValues, Decoded, elementCount, valueShape} from './decode_tensor';
import {explainFailure, explainMangled, recognize} from './diagnose';
import {DEFAULT_MAX_BYTES} from './limits';
import {WireError} from './protobuf_wire';
import {readSafetensors} from './read_safetensors';
import {ReadSettings, skipReason} from './read_settings';
import {safetensorsHeaderLength} from './safetensors_header';
import {decodeUtf32, RANDOM_STATE_TYPE, STRING_TYPE, TENSOR_TYPE_NAMES, tensorTypeOf, Values} from './tensor_types';

export type {CheckpointSource} from './bytes_source';

const OP = 'readMindSporeCheckpoint';

export interface ReadCheckpointOptions {
  /**
   * Leave out optimizer and training state (see `isOptimizerState`: Adam's
   * `moment1.*`/`moment2.*`, `moments.*`, `accum.*`, ..., `global_step`,
   * `learning_rate`, `beta1_power`, `beta2_power`, ...). Default true.
   */
  skipOptimizerState?: boolean;
  /** Keep only the tags for which this returns true (applied before decoding). */
  filter?: (tag: string) => boolean;
  /**
   * Told about every tag left out and why: optimizer state, the filter, RNG
   * state ('random_op') and map tensors (MindSpore's MapParameter), which are
   * not dense tensors.
   */
  onSkip?: (tag: string, reason: string) => void;
  /**
   * Check the CRC-32 MindSpore stores with `crc_check=True` (the .ckpt
   * trailer, or safetensors' `crc_num` metadata); a file without one is an
   * error. Default false (a .ckpt trailer is always stripped).
   */
  verifyCrc?: boolean;
  /** Largest file read from a path, in bytes. Default 2 GiB. */
  maxBytes?: number;
}

const OPTION_KEYS = ['skipOptimizerState', 'filter', 'onSkip', 'verifyCrc', 'maxBytes'];

/**
 * Reads a MindSpore checkpoint into a Map from parameter name (the tag) to a
 * tf.Tensor. The format is recognized by content: the protobuf .ckpt written
 * by `mindspore.save_checkpoint` (in file order, a `crc_num` trailer
 * stripped), or the safetensors file of `format="safetensors"` (in name
 * order, as MindSpore loads it).
 *
 * - Float16, BFloat16, Float32 and Float64 become float32 tensors; Int8 to
 *   Int64 and UInt8 to UInt64 become int32 (a value outside int32 is an
 *   error); Int4 (qint4x2) becomes int32 with the last dimension doubled;
 *   Bool becomes bool; 'str' becomes a string scalar.
 * - Consecutive .ckpt values with the same tag are slices of one parameter:
 *   their contents are concatenated, then shaped by `dims`. `dims` [] is a
 *   scalar; `dims` [0] is a scalar when it holds one element (older
 *   MindSpore's scalar marker) and an empty rank-1 tensor when it holds none.
 * - Every parameter's content must hold exactly prod(dims) elements of its
 *   type. Nothing is read past the buffer; on any error no tensor is left
 *   allocated, and a file that is not a checkpoint gets an error saying what
 *   it is (empty, truncated, a Git LFS pointer, encrypted, a parallel
 *   strategy file, mangled by a text-mode transfer, another format).
 * - Synchronous: a string is the path of a regular file, read with Node's fs
 *   (at most options.maxBytes); in the browser pass the bytes.
 *
 * The caller owns the returned tensors (dispose them, e.g.
 * `tf.dispose([...map.values()])`).
 */
export function readMindSporeCheckpoint(
    source: CheckpointSource, options: ReadCheckpointOptions = {}): Map<string, Tensor> {
  const settings = checkOptions(options);
  const bytes = sourceBytes(source, OP, settings.maxBytes);
  const decoded = decodeFile(bytes, settings);
  const out = new Map<string, Tensor>();
  try {
    for (const {tag, shape, values} of decoded) {
      out.set(
          tag,
          typeof values === 'string' ? tensor(values, shape, 'string') :
                                       tensor(values, shape, dtypeOf(values)));
    }
  } catch (e) {
    dispose([...out.values()]);
    throw e;
  }
  return out;
}

function dtypeOf(values: Values): 'float32'|'int32'|'bool' {
  return values instanceof Float32Array ? 'float32' :
                                          values instanceof Int32Array ? 'int32' : 'bool';
}

function checkOptions(options: ReadCheckpointOptions): ReadSettings {
  assertOptions(OP, 'options', options, OPTION_KEYS);
  const {skipOptimizerState = true, filter, onSkip, verifyCrc = false,
         maxBytes = DEFAULT_MAX_BYTES} = options;
  const bool = (v: unknown, name: string) =>
      assertArg(typeof v === 'boolean', OP, `options.${name}`, 'a boolean', v);
  const fn = (v: unknown, name: string) =>
      assertArg(v == null || typeof v === 'function', OP, `options.${name}`, 'a function', v);
  bool(skipOptimizerState, 'skipOptimizerState');
  fn(filter, 'filter');
  fn(onSkip, 'onSkip');
  bool(verifyCrc, 'verifyCrc');
  assertArg(isInteger(maxBytes) && maxBytes >= 1 && maxBytes <= Number.MAX_SAFE_INTEGER, OP,
      'options.maxBytes', 'an integer >= 1', maxBytes);
  return {skipOptimizerState, filter, onSkip, verifyCrc, maxBytes};
}

function decodeFile(bytes: Uint8Array, settings: ReadSettings): Decoded[] {
  const known = recognize(bytes);
  if (known != null) {
    throw new Error(`${OP}: ${known}`);
  }
  const headerLength = safetensorsHeaderLength(bytes);
  if (headerLength != null) {
    try {
      return readSafetensors(bytes, headerLength, settings, OP);
    } catch (e) {
      const mangled = explainMangled(bytes);
      throw mangled != null ? new Error(`${OP}: ${mangled}`) : e;
    }
  }
  return readCkpt(bytes, settings);
}

function readCkpt(bytes: Uint8Array, settings: ReadSettings): Decoded[] {
  const trailer = findCrcTrailer(bytes);
  const end = trailer?.end ?? bytes.length;
  if (settings.verifyCrc) {
    if (trailer == null) {
      throw new Error(
          `${OP}: options.verifyCrc is true, but the file has no crc trailer ('crc_num' and ` +
          `the CRC-32 in its last 17 bytes): it was saved without crc_check=True.`);
    }
    const computed = crc32(bytes, 0, 0, end);
    if (trailer.storedCrc !== computed) {
      throw new Error(
          `${OP}: the crc check failed: the trailer stores ${trailer.stored}, but the CRC-32 of ` +
          `the ${end} bytes before it is ${computed}: the file is damaged.`);
    }
  }
  let entries: CheckpointEntry[];
  try {
    entries = decodeCheckpoint(bytes, end, OP);
  } catch (e) {
    throw e instanceof WireError ? notACheckpoint(bytes, e) : e;
  }
  if (entries.length === 0) {
    throw new Error(
        `${OP}: the ${bytes.length} bytes hold only a crc trailer and no checkpoint value.`);
  }
  const decoded: Decoded[] = [];
  for (const entry of entries) {
    const reason = skipReason(entry.tag, settings) ?? ckptOnlyReason(entry);
    if (reason != null) {
      settings.onSkip?.(entry.tag, reason);
      continue;
    }
    decoded.push(decodeEntry(bytes, entry));
  }
  return decoded;
}

function notACheckpoint(bytes: Uint8Array, e: WireError): Error {
  const explained = explainFailure(bytes);
  if (explained != null) {
    return new Error(`${OP}: ${explained}`);
  }
  if (e.truncated) {
    return new Error(
        `${OP}: the ${bytes.length} bytes are a truncated checkpoint: ${e.message}. Download ` +
        `or copy the file again.`);
  }
  return new Error(
      `${OP}: the ${bytes.length} bytes are not a MindSpore checkpoint (corrupt, or another ` +
      `format): ${e.message}.`);
}

function ckptOnlyReason(entry: CheckpointEntry): string|null {
  if (entry.kind === 'map') {
    return 'a map tensor (MapParameter), which has no dense tfjs equivalent';
  }
  if (entry.type === RANDOM_STATE_TYPE) {
    return 'random number generator state, not a tensor';
  }
  return null;
}

/** The slices' contents as one array (a view when there is one slice). */
function gather(bytes: Uint8Array, contents: number[], total: number): Uint8Array {
  if (contents.length === 2) {
    return bytes.subarray(contents[0], contents[1]);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < contents.length; i += 2) {
    out.set(bytes.subarray(contents[i], contents[i + 1]), offset);
    offset += contents[i + 1] - contents[i];
  }
  return out;
}

function decodeEntry(bytes: Uint8Array, {tag, type, dims, contents}: CheckpointEntry): Decoded {
  const where = `'${tag}'`;
  const slices = contents.length / 2;
  let total = 0;
  for (let i = 0; i < contents.length; i += 2) {
    total += contents[i + 1] - contents[i];
  }

  if (type === STRING_TYPE) {
    if (!(dims.length === 0 || (dims.length === 1 && dims[0] === 0)) || total % 4 !== 0) {
      throw new Error(
          `${OP}: ${where} (str) must be a scalar of UTF-32 text (a multiple of 4 bytes), but ` +
          `got dims [${dims}] and ${total} bytes.`);
    }
    const text = decodeUtf32(gather(bytes, contents, total));
    if (text == null) {
      throw new Error(`${OP}: ${where} (str) holds a value that is not a Unicode code point.`);
    }
    return {tag, shape: [], values: text};
  }

  const info = tensorTypeOf(type);
  if (info == null) {
    throw new Error(
        `${OP}: ${where} has tensor_type '${type}', which is not one of ` +
        `${TENSOR_TYPE_NAMES.join(', ')}, str.`);
  }
  // dims [0]: MindSpore < 2 wrote scalars so, and an empty rank-1 tensor has
  // the same dims; the content tells them apart (one element or none).
  const scalar = dims.length === 0 || (dims.length === 1 && dims[0] === 0 && total > 0);
  const stored = scalar ? [] : dims;
  if (info.valuesPerElement !== 1 && stored.length === 0) {
    throw new Error(
        `${OP}: ${where} (${type}) has dims [${dims}]; packed ${type} needs at least one ` +
        `dimension to unpack along.`);
  }
  const count = elementCount(stored);
  if (count == null) {
    throw new Error(
        `${OP}: ${where} (${type}) has dims [${dims}], which describe more than 2^53 elements: ` +
        `the file is corrupt.`);
  }
  const expected = count * info.bytes;
  if (total !== expected) {
    throw new Error(
        `${OP}: ${where} (${type}, dims [${dims}]) needs ${count} element${count === 1 ? '' : 's'} ` +
        `(${expected} bytes) of tensor_content, but has ${total} bytes` +
        `${slices > 1 ? ` in ${slices} slices` : ''}.`);
  }
  const values =
      decodeValues(`${OP}: ${where} (${type})`, info, gather(bytes, contents, total), count);
  return {tag, shape: valueShape(info, stored), values};
}
