// SPDX-License-Identifier: Apache-2.0
/**
 * Decodes the values of a MindSpore .ckpt file, written against MindSpore's
 * checkpoint.proto (mindspore/ccsrc/utils/checkpoint.proto, proto2):
 *
 *     message Checkpoint {
 *       message Value {
 *         required string tag = 1;
 *         oneof value { TensorProto tensor = 2; MapTensorProto maptensor = 3; }
 *       }
 *       repeated Value value = 1;
 *     }
 *     message TensorProto {
 *       repeated int64 dims = 1;
 *       required string tensor_type = 2;
 *       required bytes tensor_content = 3;
 *     }
 *     message MapTensorProto { repeated TensorProto tensor = 1; }
 *
 * A file is a concatenation of serialized Checkpoint messages (one per
 * parameter slice), which reads as one message whose `value` list is the
 * concatenation. Consecutive values with one tag are one parameter's slices.
 *
 * Nothing is copied while decoding: a parameter keeps its type, its dims and
 * the offsets of its slices' contents, so memory stays proportional to the
 * number of parameters, and every limit (rank, slices, parameters) is checked
 * as soon as the field that breaks it is read.
 */
import {MAX_PARAMETERS, MAX_RANK, MAX_SLICES} from './limits';
import {FieldKey, WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireError, WireReader} from './protobuf_wire';

/** One parameter: a run of consecutive values with the same tag. */
export interface CheckpointEntry {
  tag: string;
  /** 'map' for a MapTensorProto (MindSpore's MapParameter). */
  kind: 'tensor'|'map';
  /** The first slice's tensor_type ('' for a map tensor). */
  type: string;
  /** The first slice's dims ([] for a map tensor). */
  dims: number[];
  /** [start, end) of each slice's tensor_content, flattened. */
  contents: number[];
}

interface ValueFields {
  tag: string;
  kind: 'tensor'|'map';
  type: string;
  dims: number[];
  contentStart: number;
  contentEnd: number;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * The parameters in bytes[0, end). `owner` prefixes messages of semantic
 * errors; malformed wire data throws a WireError (the caller diagnoses it).
 */
export function decodeCheckpoint(bytes: Uint8Array, end: number, owner: string):
    CheckpointEntry[] {
  const entries: CheckpointEntry[] = [];
  const seen = new Set<string>();
  const top = new WireReader(bytes, 0, end);
  let index = 0;
  while (!top.done()) {
    const key = top.key();
    if (key.field !== 1 || key.wire !== WIRE_LENGTH_DELIMITED) {
      throw new WireError(
          `byte ${key.at} starts field ${key.field} with wire type ${key.wire}, but a ` +
          `checkpoint holds only values (field 1, length-delimited)`, key.at, false);
    }
    const lengthAt = top.pos;
    const [start, stop] = lengthDelimitedIn(top, index, () => peekTag(bytes, lengthAt, end));
    const value = readValue(bytes, start, stop, index, key.at, owner);
    const last = entries[entries.length - 1];
    if (last != null && last.tag === value.tag) {
      addSlice(last, value, owner);
    } else {
      if (seen.has(value.tag)) {
        throw new Error(
            `${owner}: the tag '${value.tag}' appears twice with other tags in between (again ` +
            `at value #${index}, byte ${key.at}); only consecutive values (the slices of one ` +
            `parameter) may share a tag.`);
      }
      if (entries.length === MAX_PARAMETERS) {
        throw new Error(
            `${owner}: the file holds more than ${MAX_PARAMETERS} parameters (value #${index} at ` +
            `byte ${key.at} starts one more), beyond any real checkpoint: it is corrupt or not ` +
            `a checkpoint.`);
      }
      seen.add(value.tag);
      entries.push({
        tag: value.tag, kind: value.kind, type: value.type, dims: value.dims,
        contents: [value.contentStart, value.contentEnd],
      });
    }
    index++;
  }
  return entries;
}

function addSlice(entry: CheckpointEntry, value: ValueFields, owner: string): void {
  if (entry.kind !== value.kind || entry.type !== value.type ||
      !sameDims(entry.dims, value.dims)) {
    const show = (v: {kind: string, type: string, dims: number[]}) =>
        v.kind === 'map' ? 'a map tensor' : `${v.type} [${v.dims}]`;
    throw new Error(
        `${owner}: the slices of '${entry.tag}' disagree: ${show(entry)} then ${show(value)}.`);
  }
  if (entry.contents.length / 2 === MAX_SLICES) {
    throw new Error(
        `${owner}: '${entry.tag}' has more than ${MAX_SLICES} slices (MindSpore writes one per ` +
        `512 MiB): the file is corrupt.`);
  }
  entry.contents.push(value.contentStart, value.contentEnd);
}

function sameDims(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A value's length-delimited payload, with the value (and its tag when known) named on failure. */
function lengthDelimitedIn(r: WireReader, index: number, tag: () => string | null):
    [number, number] {
  try {
    return r.lengthDelimited();
  } catch (e) {
    throw inValue(e, index, tag());
  }
}

/**
 * The tag of a value cut off by the end of the file, when its start survives
 * (for the message): the payload starts right after the length varint.
 */
function peekTag(bytes: Uint8Array, lengthAt: number, end: number): string|null {
  try {
    const r = new WireReader(bytes, lengthAt, end);
    r.uint();
    const key = r.key();
    if (key.field !== 1 || key.wire !== WIRE_LENGTH_DELIMITED) {
      return null;
    }
    const [s, e] = r.lengthDelimited();
    return utf8.decode(bytes.subarray(s, e));
  } catch {
    return null;
  }
}

function inValue(e: unknown, index: number, tag: string|null): unknown {
  if (!(e instanceof WireError)) {
    return e;
  }
  const which = tag == null ? `value #${index}` : `value #${index} ('${tag}')`;
  return new WireError(`${e.message}, in ${which}`, e.offset, e.truncated);
}

function readValue(
    bytes: Uint8Array, start: number, end: number, index: number, at: number,
    owner: string): ValueFields {
  const r = new WireReader(bytes, start, end);
  let tag: string|null = null;
  let tensor: [number, number]|null = null;
  let map = false;
  try {
    while (!r.done()) {
      const key = r.key();
      if (key.field === 1) {
        expectWire(key, WIRE_LENGTH_DELIMITED, 'Value.tag', tag != null);
        const [s, e] = r.lengthDelimited();
        tag = decodeText(bytes, s, e, `the tag of value #${index} (byte ${key.at})`, owner);
      } else if (key.field === 2 || key.field === 3) {
        expectWire(key, WIRE_LENGTH_DELIMITED, key.field === 2 ? 'Value.tensor' : 'Value.maptensor',
            tensor != null || map);
        const range = r.lengthDelimited();
        if (key.field === 2) {
          tensor = range;
        } else {
          map = true;
        }
      } else {
        r.skip(key);
      }
    }
  } catch (e) {
    throw inValue(e, index, tag);
  }
  if (tag == null) {
    throw new Error(
        `${owner}: value #${index} (byte ${at}) has no tag; every MindSpore checkpoint value ` +
        `has its required 'tag': the file is corrupt or not a checkpoint.`);
  }
  if (map) {
    return {tag, kind: 'map', type: '', dims: [], contentStart: 0, contentEnd: 0};
  }
  if (tensor == null) {
    throw new Error(`${owner}: '${tag}' (value #${index}, byte ${at}) holds neither a tensor ` +
                    `nor a map tensor.`);
  }
  try {
    return readTensor(bytes, tensor[0], tensor[1], tag, index, owner);
  } catch (e) {
    throw inValue(e, index, tag);
  }
}

function readTensor(
    bytes: Uint8Array, start: number, end: number, tag: string, index: number,
    owner: string): ValueFields {
  const r = new WireReader(bytes, start, end);
  const dims: number[] = [];
  let type: string|null = null;
  let content: [number, number]|null = null;
  const addDim = (d: number) => {
    if (dims.length === MAX_RANK) {
      throw new Error(
          `${owner}: '${tag}' (value #${index}) has more than ${MAX_RANK} dims, MindSpore's ` +
          `largest rank: the file is corrupt.`);
    }
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new Error(`${owner}: '${tag}' has a dimension ${d}; dims must be integers >= 0.`);
    }
    dims.push(d);
  };
  while (!r.done()) {
    const key = r.key();
    if (key.field === 1 && key.wire === WIRE_VARINT) {
      addDim(r.int64());
    } else if (key.field === 1 && key.wire === WIRE_LENGTH_DELIMITED) {
      // packed dims (proto2 writes them unpacked; parsers accept both)
      const [s, e] = r.lengthDelimited();
      const packed = new WireReader(bytes, s, e);
      while (!packed.done()) {
        addDim(packed.int64());
      }
    } else if (key.field === 1) {
      expectWire(key, WIRE_VARINT, 'TensorProto.dims', false);
    } else if (key.field === 2) {
      expectWire(key, WIRE_LENGTH_DELIMITED, 'TensorProto.tensor_type', type != null);
      const [s, e] = r.lengthDelimited();
      type = decodeText(bytes, s, e, `the tensor_type of '${tag}'`, owner);
    } else if (key.field === 3) {
      expectWire(key, WIRE_LENGTH_DELIMITED, 'TensorProto.tensor_content', content != null);
      content = r.lengthDelimited();
    } else {
      r.skip(key);
    }
  }
  if (type == null || content == null) {
    throw new Error(
        `${owner}: '${tag}' (value #${index}) is missing its required ` +
        `'${type == null ? 'tensor_type' : 'tensor_content'}': the file is corrupt.`);
  }
  return {tag, kind: 'tensor', type, dims, contentStart: content[0], contentEnd: content[1]};
}

function expectWire(key: FieldKey, wire: number, name: string, repeated: boolean): void {
  if (key.wire !== wire) {
    throw new WireError(
        `${name} at byte ${key.at} has wire type ${key.wire} instead of ${wire}`, key.at, false);
  }
  if (repeated) {
    throw new WireError(`${name} appears twice (again at byte ${key.at})`, key.at, false);
  }
}

function decodeText(bytes: Uint8Array, start: number, end: number, what: string,
    owner: string): string {
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new Error(`${owner}: ${what} is not valid UTF-8 (bytes ${start} to ${end}).`);
  }
}
