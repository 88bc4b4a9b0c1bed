// SPDX-License-Identifier: Apache-2.0
/**
 * Real checkpoints written by mindspore.save_checkpoint in Apache-2.0
 * projects (test/fixtures/real_ckpt/SOURCES.md): read as they are, with a crc
 * trailer appended by this test (Node's zlib.crc32), and converted to
 * safetensors by this test's own writer; all three must give the same
 * tensors, equal to an independent decode of the raw bytes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

import * as tf from '@tensorflow/tfjs-core';

import {readMindSporeCheckpoint} from '../../src';
import {expectNoLeak} from '../test_util';
import {joinSlices, parseCheckpoint, RawValue} from './ckpt_parse';
import {SAFETENSORS_DTYPE, writeSafetensors} from './safetensors_writer';

const crc32 = (zlib as unknown as {crc32(data: Uint8Array, value?: number): number}).crc32;

const DIR = path.join(__dirname, '..', 'fixtures', 'real_ckpt');

/** Tags, counts and types SOURCES.md lists for each file. */
const REAL: Array<{file: string, params: number, types: Record<string, number>}> = [
  {file: 'mindarmour_checkpoint_lenet-10_1875.ckpt', params: 18, types: {Float32: 16, Float64: 2}},
  {file: 'mindscience_attention_block.ckpt', params: 12, types: {Float32: 12}},
  {file: 'goldenstick_llama2_tiny_fp16_rank0.ckpt', params: 12, types: {Float16: 9, Float32: 3}},
];

interface Row {
  dtype: string;
  shape: number[];
  /** float32 values as bytes, so tensors compare bit for bit (and fast). */
  bits: Buffer;
}

const bitsOf = (values: ArrayLike<number>) => Buffer.from(Float32Array.from(values).buffer);

/** Same keys in the same order, each with the same dtype, shape and bits. */
function expectSame(got: Array<[string, Row]>, expected: Array<[string, Row]>): void {
  expect(got.map(([k, r]) => [k, r.dtype, r.shape, r.bits.length]))
      .toEqual(expected.map(([k, r]) => [k, r.dtype, r.shape, r.bits.length]));
  got.forEach(([k, r], i) => {
    expect([k, r.bits.equals(expected[i][1].bits)]).toEqual([k, true]);
  });
}

function read(bytes: Uint8Array|string, options = {}): Map<string, Row> {
  return expectNoLeak(() => {
    const map = readMindSporeCheckpoint(bytes, {skipOptimizerState: false, ...options});
    const out = new Map<string, Row>();
    for (const [tag, t] of map) {
      out.set(tag, {dtype: t.dtype, shape: t.shape, bits: bitsOf(t.dataSync() as Float32Array)});
    }
    tf.dispose([...map.values()]);
    return out;
  });
}

const halfBits = new Uint32Array(1);
const halfValue = new Float32Array(halfBits.buffer);

/** IEEE half to number by assembling float32 bits (a different route from the package's). */
function halfToNumber(h: number): number {
  const sign = h >> 15;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) {
    return (sign ? -1 : 1) * mantissa / 16777216;
  }
  halfBits[0] = (sign << 31) | (exponent === 31 ? 0xff << 23 : (exponent + 112) << 23) |
      (mantissa << 13);
  return halfValue[0];
}

function expectedRow(v: RawValue): Row {
  const c = Buffer.from(v.content);  // aligned copy
  const values = v.type === 'Float32' ? Array.from(new Float32Array(c.buffer, c.byteOffset, c.length / 4)) :
      v.type === 'Float64' ? Array.from(new Float64Array(c.buffer, c.byteOffset, c.length / 8), Math.fround) :
      v.type === 'Float16' ? Array.from({length: c.length / 2}, (_, i) => halfToNumber(c.readUInt16LE(2 * i))) :
      [];
  if (values.length === 0) {
    throw new Error(`test: no reference decoder for ${v.type}`);
  }
  const scalar = v.dims.length === 1 && v.dims[0] === 0;
  return {dtype: 'float32', shape: scalar ? [] : v.dims, bits: bitsOf(values)};
}

function withCrcTrailer(bytes: Uint8Array): Uint8Array {
  const number = Buffer.alloc(10);
  number.writeUInt32BE(crc32(bytes), 6);
  return Buffer.concat([bytes, Buffer.from('crc_num', 'ascii'), number]);
}

/** The file as MindSpore's format="safetensors" would store it, with its crc_num. */
function asSafetensors(params: RawValue[]): Buffer {
  const items = params.map(p => ({
    name: p.tag, dtype: SAFETENSORS_DTYPE[p.type],
    shape: p.dims.length === 1 && p.dims[0] === 0 ? [] : p.dims, data: p.content,
  }));
  let crc = 0;
  for (const item of [...items].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    crc = crc32(Buffer.from(item.name, 'utf8'), crc);
    crc = crc32(item.data, crc);
  }
  // Reverse order on purpose: the reader must follow the offsets, not the listing.
  return writeSafetensors(items.reverse(), {format: 'ms', crc_num: String(crc)});
}

const sortedEntries = (m: Map<string, Row>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe('real MindSpore checkpoints (test/fixtures/real_ckpt)', () => {
  it('has SOURCES.md next to the files', () => {
    const sources = fs.readFileSync(path.join(DIR, 'SOURCES.md'), 'utf8');
    for (const {file} of REAL) {
      expect(sources).toContain(file);
    }
  });

  for (const {file, params, types} of REAL) {
    describe(file, () => {
      const bytes = new Uint8Array(fs.readFileSync(path.join(DIR, file)));
      const raw = joinSlices(parseCheckpoint(bytes));

      it('holds the parameters and types SOURCES.md lists', () => {
        expect(raw.length).toBe(params);
        const counts: Record<string, number> = {};
        raw.forEach(v => counts[v.type] = (counts[v.type] ?? 0) + 1);
        expect(counts).toEqual(types);
      });

      it('reads every tensor equal to an independent decode of its bytes, in file order', () => {
        expectSame([...read(bytes)], raw.map(v => [v.tag, expectedRow(v)]));
      });

      it('reads the same tensors with a crc trailer, verified or not', () => {
        const plain = read(bytes);
        const trailed = withCrcTrailer(bytes);
        expectSame([...read(trailed)], [...plain]);
        expectSame([...read(trailed, {verifyCrc: true})], [...plain]);
      });

      it('reads the same tensors from its safetensors form (crc verified), in name order', () => {
        const plain = read(bytes);
        const fromSafetensors = read(asSafetensors(raw), {verifyCrc: true});
        expect([...fromSafetensors.keys()]).toEqual([...plain.keys()].sort());
        expectSame([...fromSafetensors], sortedEntries(plain));
      });

      it('reads the same tensors from a path as from bytes', () => {
        expectSame([...read(path.join(DIR, file))], [...read(bytes)]);
      });
    });
  }

  it('leaves out LeNet\'s Momentum state by default', () => {
    const skipped: string[] = [];
    const map = readMindSporeCheckpoint(path.join(DIR, REAL[0].file), {onSkip: tag => skipped.push(tag)});
    expect([...map.keys()]).toEqual(['conv1.weight', 'conv2.weight', 'fc1.weight', 'fc1.bias',
                                     'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias']);
    expect(skipped).toEqual(['learning_rate', 'momentum', ...[...map.keys()].map(k => `moments.${k}`)]);
    tf.dispose([...map.values()]);
  });
});
