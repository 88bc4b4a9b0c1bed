/**
 * Writes tfjs tensors as a MindSpore .ckpt file.
 */
import {Tensor} from '@tensorflow/tfjs-core';

import {argError, assertArg, isInteger} from '../util/validation';
import {CheckpointType, CheckpointValue} from './checkpoint_schema';
import {STRING_TYPE, WRITE_TYPES} from './tensor_types';

const OP = 'saveMindSporeCheckpoint';

/** MindSpore splits a parameter's content into values of at most 512 MiB. */
const MINDSPORE_SLICE_BYTES = 512 * 1024 * 1024;

export interface SaveCheckpointOptions {
  /**
   * Largest tensor_content of one value, in bytes (rounded down to whole
   * elements); a bigger parameter is written as consecutive values with the
   * same tag, as MindSpore does. Default 512 MiB, MindSpore's slice size.
   */
  sliceBytes?: number;
}

/**
 * Serializes tensors as a MindSpore checkpoint, readable by
 * `mindspore.load_checkpoint` and `readMindSporeCheckpoint`. Tags are the
 * map's keys, in order. float32 is written as Float32, int32 as Int32, bool as
 * Bool and string scalars as 'str'; content is little-endian. A scalar gets
 * dims [0], MindSpore's scalar marker, so an empty rank-1 tensor (shape [0])
 * cannot be written. The tensors are read (dataSync), not disposed.
 */
export function saveMindSporeCheckpoint(
    tensors: Map<string, Tensor>|Record<string, Tensor>,
    options: SaveCheckpointOptions = {}): Uint8Array {
  assertArg(options != null && typeof options === 'object', OP, 'options', 'an object', options);
  const {sliceBytes = MINDSPORE_SLICE_BYTES} = options;
  assertArg(isInteger(sliceBytes) && sliceBytes >= 1, OP, 'options.sliceBytes',
      'an integer >= 1', sliceBytes);
  const entries = entriesOf(tensors);
  entries.forEach(([tag, t]) => checkTensor(tag, t));

  const value: CheckpointValue[] = [];
  for (const [tag, t] of entries) {
    const dims = t.rank === 0 ? [0] : t.shape;
    const type = t.dtype === 'string' ? STRING_TYPE : WRITE_TYPES[t.dtype]!;
    const {content, elementBytes} = encodeContent(t);
    const step = Math.max(elementBytes, sliceBytes - sliceBytes % elementBytes);
    let offset = 0;
    do {
      const tensor_content = content.subarray(offset, offset + step);
      value.push({tag, tensor: {dims, tensor_type: type, tensor_content}});
      offset += step;
    } while (offset < content.byteLength);
  }
  // protobufjs hands back a Node Buffer in Node; return a plain Uint8Array everywhere.
  const bytes = CheckpointType.encode({value}).finish();
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
}

function entriesOf(tensors: Map<string, Tensor>|Record<string, Tensor>): Array<[string, Tensor]> {
  if (tensors instanceof Map) {
    return [...tensors.entries()];
  }
  if (tensors != null && typeof tensors === 'object' && !Array.isArray(tensors) &&
      !(tensors instanceof Tensor)) {
    return Object.entries(tensors);
  }
  throw argError(OP, 'tensors', 'a Map or an object from names to tensors', tensors);
}

function checkTensor(tag: unknown, t: unknown): void {
  assertArg(typeof tag === 'string' && tag.length > 0, OP, 'tensors', 'keyed by non-empty names',
      tag);
  const arg = `tensors['${tag}']`;
  if (!(t instanceof Tensor)) {
    throw argError(OP, arg, 'a tf.Tensor', t);
  }
  if (t.isDisposed) {
    throw new Error(`${OP}: '${arg}' is a disposed tensor.`);
  }
  if (t.dtype === 'string') {
    assertArg(t.rank === 0, OP, arg, 'a scalar when its dtype is string', t);
    return;
  }
  assertArg(WRITE_TYPES[t.dtype] != null, OP, arg, 'a float32, int32, bool or string tensor', t);
  assertArg(!(t.rank === 1 && t.shape[0] === 0), OP, arg,
      'non-empty when of rank 1 (MindSpore reads dims [0] as a scalar)', t);
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
