// SPDX-License-Identifier: Apache-2.0
/**
 * What a file that is not a MindSpore checkpoint is, and what to do about it.
 * `recognize` runs before decoding (kinds with an unmistakable signature);
 * `explainFailure` runs after the decoder failed (kinds that only look wrong
 * once decoding fails, so a valid checkpoint is never rejected by a guess).
 */
import {WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireReader} from './protobuf_wire';

const ascii = (s: string) => Array.from(s, c => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, prefix: number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

const LFS_POINTER = ascii('version https://git-lfs');

/**
 * MindSpore's encrypted checkpoints start with a 4-byte magic number written
 * in the machine's (little-endian) order: mindspore/core/utils/crypto.h has
 * GCM_MAGIC_NUM 0x7F3A5ED8, CBC_MAGIC_NUM 0x7F3A5ED9, SM4_CBC_MAGIC_NUM 0x7F3A5EDA.
 */
const CIPHERS: ReadonlyArray<[number, string]> = [
  [0x7f3a5ed8, 'AES-GCM'],
  [0x7f3a5ed9, 'AES-CBC'],
  [0x7f3a5eda, 'SM4-CBC'],
];

const JSON_STRATEGY_KEYS = ['"parallel_strategy_item"', '"parallel_layout_item"'];

/** A description for a kind recognized by its signature, or null. */
export function recognize(bytes: Uint8Array): string|null {
  if (bytes.length === 0) {
    return 'the file is empty (0 bytes): it holds no checkpoint. It was probably not ' +
        'written completely (or copied before it was); save or download it again.';
  }
  if (startsWith(bytes, LFS_POINTER)) {
    return `the ${bytes.length} bytes are a Git LFS pointer, not the checkpoint itself: fetch ` +
        'the file with `git lfs pull` (or download it from the hosting site\'s raw/LFS link) ' +
        'and read that.';
  }
  if (bytes.length >= 4) {
    const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
    const cipher = CIPHERS.find(c => c[0] === magic);
    if (cipher != null) {
      return `the file is an encrypted MindSpore checkpoint (${cipher[1]}, saved with ` +
          '`enc_key`): decrypt it with MindSpore first, e.g. `mindspore.save_checkpoint(' +
          `mindspore.load_checkpoint(path, dec_key=key, dec_mode='${cipher[1]}'), 'plain.ckpt')\`, ` +
          'and read the plain file.';
    }
  }
  if (isJsonStrategy(bytes) || isProtobufStrategy(bytes)) {
    return 'the file is a MindSpore parallel strategy file (ParallelStrategyMap, written by ' +
        '`set_auto_parallel_context(strategy_ckpt_config=...)`), which describes how ' +
        'parameters are sharded, not their values: read the checkpoint files (.ckpt or ' +
        '.safetensors) instead.';
  }
  return null;
}

function isJsonStrategy(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d ||
                              bytes[i] === 0x09)) {
    i++;
  }
  if (bytes[i] !== 0x7b) {
    return false;
  }
  const head = String.fromCharCode(...bytes.subarray(i, i + 4096));
  return JSON_STRATEGY_KEYS.some(k => head.includes(k));
}

/**
 * ParallelStrategyMap (mindspore/ccsrc/utils/node_strategy.proto): field 1
 * current_stage (varint), then items (field 2 strategy items, field 3 layout
 * items), each a printable name (field 1) and a message (field 2) whose own
 * field 1 is a varint (the stage) or a message.
 */
function isProtobufStrategy(bytes: Uint8Array): boolean {
  try {
    const r = new WireReader(bytes, 0, bytes.length);
    const first = r.key();
    if (first.field !== 1 || first.wire !== WIRE_VARINT) {
      return false;
    }
    r.uint();
    const item = r.key();
    if ((item.field !== 2 && item.field !== 3) || item.wire !== WIRE_LENGTH_DELIMITED) {
      return false;
    }
    const [start, end] = r.lengthDelimited();
    const inner = new WireReader(bytes, start, end);
    const name = inner.key();
    if (name.field !== 1 || name.wire !== WIRE_LENGTH_DELIMITED) {
      return false;
    }
    const [s, e] = inner.lengthDelimited();
    if (e === s || bytes.subarray(s, e).some(b => b < 0x20 || b === 0x7f)) {
      return false;
    }
    const body = inner.key();
    return body.field === 2 && body.wire === WIRE_LENGTH_DELIMITED;
  } catch {
    return false;
  }
}

const REPLACEMENT = [0xef, 0xbf, 0xbd];

/** Runs of two or more U+FFFD (EF BF BD EF BF BD) in the bytes. */
function replacementRuns(bytes: Uint8Array): number {
  let runs = 0;
  for (let i = 0; i + 6 <= bytes.length; i++) {
    if (startsWith(bytes, REPLACEMENT, i) && startsWith(bytes, REPLACEMENT, i + 3)) {
      runs++;
      i += 5;
      while (startsWith(bytes, REPLACEMENT, i + 1)) {
        i += 3;
      }
    }
  }
  return runs;
}

/** A description for bytes the .ckpt decoder rejected, or null to report its own error. */
export function explainFailure(bytes: Uint8Array): string|null {
  const mangled = explainMangled(bytes);
  if (mangled != null) {
    return mangled;
  }
  if (bytes[0] === ((1 << 3) | WIRE_VARINT)) {
    return 'the file begins with field 1 as a varint, as a TensorFlow SavedModel ' +
        '(saved_model.pb), an ONNX model or another protobuf does; a MindSpore checkpoint ' +
        'begins with field 1 as a length-delimited value. Convert the model\'s weights to a ' +
        'MindSpore checkpoint first.';
  }
  return null;
}

/** A description of a text-mode mangled file (runs of U+FFFD), or null. */
export function explainMangled(bytes: Uint8Array): string|null {
  const runs = replacementRuns(bytes);
  if (runs > 0) {
    return `the file was mangled by a text-mode round trip: it holds ${runs} run${
        runs === 1 ? '' : 's'} of the UTF-8 replacement character (bytes EF BF BD), which is ` +
        'what a binary file becomes when read or written as text (e.g. `open(path, "r")`, ' +
        '`response.text()`, or a text upload). Transfer it as binary (`"rb"`, ' +
        '`arrayBuffer()`) from the original.';
  }
  return null;
}
