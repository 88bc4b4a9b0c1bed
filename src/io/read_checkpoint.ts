/**
 * Reads a MindSpore .ckpt file into tfjs tensors.
 */
import {dispose, Tensor, tensor} from '@tensorflow/tfjs-core';

import {argError, assertArg, describe} from '../util/validation';
import {CheckpointMessage, CheckpointType, CheckpointValue, TensorProto} from './checkpoint_schema';
import {readFileBytes} from './node_fs';
import {isOptimizerState} from './optimizer_state';
import {decodeUtf32, RANDOM_STATE_TYPE, STRING_TYPE, TENSOR_TYPES, Values} from './tensor_types';

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
}

/** The source of a checkpoint: its bytes, or (in Node) a file path. */
export type CheckpointSource = Uint8Array|ArrayBuffer|ArrayBufferView|string;

/** One tag's run of consecutive values: the slices of one parameter. */
interface Entry {
  tag: string;
  slices: CheckpointValue[];
}

/** A validated, decoded parameter, ready to become a tensor. */
interface Decoded {
  tag: string;
  shape: number[];
  values: Values|string;
}

/**
 * Reads a MindSpore checkpoint (the protobuf written by
 * `mindspore.save_checkpoint`) into a Map from parameter name (the tag) to a
 * tf.Tensor, in file order.
 *
 * - Float16, BFloat16, Float32 and Float64 become float32 tensors; Int8 to
 *   Int64 and UInt8 to UInt64 become int32 (a value outside int32 is an
 *   error); Bool becomes bool; 'str' becomes a string scalar.
 * - Consecutive values with the same tag are slices of one parameter: their
 *   contents are concatenated, then shaped by `dims`. `dims` [0] (and []) is
 *   a scalar.
 * - Every parameter's content must hold exactly prod(dims) elements of its
 *   type. Nothing is read past the buffer; on any error no tensor is left
 *   allocated.
 * - Synchronous: a string is a file path read with Node's fs.readFileSync;
 *   in the browser pass the bytes. Encrypted checkpoints are not supported.
 *
 * The caller owns the returned tensors (dispose them, e.g.
 * `tf.dispose([...map.values()])`).
 */
export function readMindSporeCheckpoint(
    source: CheckpointSource, options: ReadCheckpointOptions = {}): Map<string, Tensor> {
  const {skipOptimizerState, filter, onSkip} = checkOptions(options);
  const message = decode(toBytes(source));

  const decoded: Decoded[] = [];
  for (const entry of groupByTag(message.value)) {
    const reason = skipReason(entry, skipOptimizerState, filter);
    if (reason != null) {
      onSkip?.(entry.tag, reason);
      continue;
    }
    decoded.push(decodeEntry(entry));
  }

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

function checkOptions(options: ReadCheckpointOptions): Required<Pick<ReadCheckpointOptions,
    'skipOptimizerState'>>&ReadCheckpointOptions {
  assertArg(
      options != null && typeof options === 'object', OP, 'options', 'an object', options);
  const {skipOptimizerState = true, filter, onSkip} = options;
  assertArg(
      typeof skipOptimizerState === 'boolean', OP, 'options.skipOptimizerState', 'a boolean',
      skipOptimizerState);
  assertArg(
      filter == null || typeof filter === 'function', OP, 'options.filter', 'a function',
      filter);
  assertArg(
      onSkip == null || typeof onSkip === 'function', OP, 'options.onSkip', 'a function',
      onSkip);
  return {skipOptimizerState, filter, onSkip};
}

function toBytes(source: CheckpointSource): Uint8Array {
  if (typeof source === 'string') {
    return readFileBytes(source, OP);
  }
  if (source instanceof Uint8Array) {
    return source;
  }
  if (source instanceof ArrayBuffer) {
    return new Uint8Array(source);
  }
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  }
  throw argError(
      OP, 'source', 'a Uint8Array, an ArrayBuffer or (in Node) a file path', source);
}

function decode(bytes: Uint8Array): CheckpointMessage {
  try {
    // Absent message fields read as null and absent repeated fields as [].
    return CheckpointType.decode(bytes) as unknown as CheckpointMessage;
  } catch (e) {
    const detail = e instanceof RangeError ?
        'it ends in the middle of a field (truncated?)' :
        (e as Error).message;
    throw new Error(
        `${OP}: the ${bytes.byteLength} bytes are not a MindSpore checkpoint (truncated, ` +
        `encrypted or another format): ${detail}.`);
  }
}

/** Splits the values into runs of one tag; a tag may not come back later. */
function groupByTag(values: CheckpointValue[]): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const last = entries[entries.length - 1];
    if (last != null && last.tag === value.tag) {
      last.slices.push(value);
      continue;
    }
    if (seen.has(value.tag)) {
      throw new Error(
          `${OP}: the tag '${value.tag}' appears twice with other tags in between; only ` +
          `consecutive values (the slices of one parameter) may share a tag.`);
    }
    seen.add(value.tag);
    entries.push({tag: value.tag, slices: [value]});
  }
  return entries;
}

function skipReason(
    entry: Entry, skipOptimizerState: boolean, filter?: (tag: string) => boolean): string|null {
  if (filter != null && !filter(entry.tag)) {
    return 'excluded by options.filter';
  }
  if (skipOptimizerState && isOptimizerState(entry.tag)) {
    return 'optimizer or training state (options.skipOptimizerState)';
  }
  if (entry.slices.some(s => s.maptensor != null)) {
    return 'a map tensor (MapParameter), which has no dense tfjs equivalent';
  }
  if (entry.slices.some(s => s.tensor?.tensor_type === RANDOM_STATE_TYPE)) {
    return 'random number generator state, not a tensor';
  }
  return null;
}

function decodeEntry({tag, slices}: Entry): Decoded {
  const where = `'${tag}'`;
  if (slices.some(s => s.tensor == null)) {
    throw new Error(`${OP}: ${where} holds neither a tensor nor a map tensor.`);
  }
  const tensors = slices.map(s => s.tensor!);
  const dims = dimsOf(tensors[0], where);
  const type = tensors[0].tensor_type;
  for (const t of tensors) {
    if (t.tensor_type !== type || !sameDims(dimsOf(t, where), dims)) {
      throw new Error(
          `${OP}: the slices of ${where} disagree: ${type} [${dims}] then ` +
          `${t.tensor_type} [${dimsOf(t, where)}].`);
    }
  }
  const content = concat(tensors.map(t => t.tensor_content));
  const scalar = dims.length === 0 || (dims.length === 1 && dims[0] === 0);
  const shape = scalar ? [] : dims;
  const count = shape.reduce((a, b) => a * b, 1);

  if (type === STRING_TYPE) {
    if (!scalar || content.byteLength % 4 !== 0) {
      throw new Error(
          `${OP}: ${where} (str) must be a scalar of UTF-32 text (a multiple of 4 bytes), but ` +
          `got dims [${dims}] and ${content.byteLength} bytes.`);
    }
    const text = decodeUtf32(content);
    if (text == null) {
      throw new Error(`${OP}: ${where} (str) holds a value that is not a Unicode code point.`);
    }
    return {tag, shape, values: text};
  }

  const info = TENSOR_TYPES[type];
  if (info == null) {
    throw new Error(
        `${OP}: ${where} has tensor_type ${describe(type)}, which is not one of ` +
        `${Object.keys(TENSOR_TYPES).join(', ')}, str.`);
  }
  const expected = count * info.bytes;
  if (content.byteLength !== expected) {
    throw new Error(
        `${OP}: ${where} (${type}, dims [${dims}]) needs ${count} element${count === 1 ? '' : 's'} ` +
        `(${expected} bytes) of tensor_content, but has ${content.byteLength} bytes` +
        `${slices.length > 1 ? ` in ${slices.length} slices` : ''}.`);
  }
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const values = info.read(view, count, (index, value) => {
    throw new Error(
        `${OP}: ${where} (${type}) holds ${value} at flat index ${index}, outside tfjs's int32 ` +
        `range [-2147483648, 2147483647].`);
  });
  return {tag, shape, values};
}

/** int64 dims as numbers, each a non-negative safe integer. */
function dimsOf(t: TensorProto, where: string): number[] {
  return (t.dims ?? []).map(d => {
    const n = typeof d === 'number' ? d : longToNumber(d);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new Error(`${OP}: ${where} has a dimension ${n}; dims must be integers >= 0.`);
    }
    return n;
  });
}

function longToNumber(d: {low: number, high: number, unsigned: boolean}): number {
  return d.high * 4294967296 + (d.low >>> 0);
}

function sameDims(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) {
    return parts[0];
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
