// SPDX-License-Identifier: Apache-2.0
/**
 * Files that are not MindSpore checkpoints: each kind gets its own message
 * saying what the file is and what to do, never an empty Map.
 */
import * as fs from 'fs';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs-core';

import {readMindSporeCheckpoint} from '../../src';
import {expectThrowsNoLeak} from '../test_util';
import {handAssembledBytes} from './fixtures';
import {scratchDir} from './scratch_dir';
import {writeSafetensors} from './safetensors_writer';
import {checkpoint, f32, key, lengthDelimited, tensorValue, utf8, varint} from './wire';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LENET = path.join(__dirname, '..', 'fixtures', 'real_ckpt',
                        'mindarmour_checkpoint_lenet-10_1875.ckpt');

const read = (bytes: Uint8Array|string) => () => readMindSporeCheckpoint(bytes);

describe('readMindSporeCheckpoint on files that are not checkpoints', () => {
  const inScratch = scratchDir('ms-ckpt-');

  it('says an empty file (bytes or path) is empty', () => {
    const empty = inScratch('empty.ckpt');
    fs.writeFileSync(empty, '');
    const msg = /^readMindSporeCheckpoint: the file is empty \(0 bytes\): it holds no checkpoint\. It was probably not written completely .*save or download it again\.$/;
    expectThrowsNoLeak(read(new Uint8Array(0)), msg);
    expectThrowsNoLeak(read(empty), msg);
  });

  it('says a Git LFS pointer is one and how to fetch the file', () => {
    const pointer = Buffer.from(
        'version https://git-lfs.github.com/spec/v1\n' +
        'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n' +
        'size 494163\n');
    expectThrowsNoLeak(read(pointer),
        /^readMindSporeCheckpoint: the 131 bytes are a Git LFS pointer, not the checkpoint itself: fetch the file with `git lfs pull`/);
  });

  const ciphers: Array<[number, string]> = [
    [0x7f3a5ed8, 'AES-GCM'], [0x7f3a5ed9, 'AES-CBC'], [0x7f3a5eda, 'SM4-CBC']];
  for (const [magic, mode] of ciphers) {
    it(`says a ${mode} encrypted checkpoint is encrypted and must be decrypted with MindSpore`, () => {
      const file = Buffer.alloc(64, 0x5a);
      file.writeUInt32LE(magic, 0);
      expectThrowsNoLeak(read(file), new RegExp(
          `^readMindSporeCheckpoint: the file is an encrypted MindSpore checkpoint \\(${mode}, ` +
          `saved with \`enc_key\`\\): decrypt it with MindSpore first, .*dec_mode='${mode}'`));
    });
  }

  it('says a file mangled by a text-mode round trip is, for a real checkpoint', () => {
    const mangled = Buffer.from(fs.readFileSync(LENET).toString('utf8'), 'utf8');
    expect(mangled.length).not.toBe(fs.statSync(LENET).size);
    expectThrowsNoLeak(read(mangled),
        /^readMindSporeCheckpoint: the file was mangled by a text-mode round trip: it holds \d+ runs of the UTF-8 replacement character \(bytes EF BF BD\).*Transfer it as binary/);
  });

  it('says so for a safetensors file mangled by a text-mode round trip too', () => {
    const st = writeSafetensors([{name: 'w', dtype: 'F32', shape: [4], data: Buffer.from(Float32Array.from([0.5, -1.5, 3, -7]).buffer)}]);
    const mangled = Buffer.from(st.toString('utf8'), 'utf8');
    expectThrowsNoLeak(read(mangled), /^readMindSporeCheckpoint: the file was mangled by a text-mode round trip/);
  });

  it('says a protobuf parallel strategy file (ParallelStrategyMap) is one', () => {
    const item = [
      ...lengthDelimited(1, utf8('Default/network-WithLossCell/_backbone-LeNet5/conv1-Conv2d/Conv2D-op0')),
      ...lengthDelimited(2, [...key(1, 0), ...varint(0),
                             ...lengthDelimited(2, [...key(1, 0), ...varint(1), ...key(1, 0), ...varint(2)])]),
    ];
    const strategy = Uint8Array.from([...key(1, 0), ...varint(1), ...lengthDelimited(2, item)]);
    expectThrowsNoLeak(read(strategy),
        /^readMindSporeCheckpoint: the file is a MindSpore parallel strategy file \(ParallelStrategyMap, .*read the checkpoint files \(\.ckpt or \.safetensors\) instead\./);
  });

  it('says a JSON parallel strategy file is one', () => {
    const json = Buffer.from(JSON.stringify({
      current_stage: 0,
      parallel_strategy_item: {'conv1-op0': {stage: 0, parallel_strategy: [[1, 2]]}},
      parallel_layout_item: {},
    }, null, 2));
    expectThrowsNoLeak(read(json), /^readMindSporeCheckpoint: the file is a MindSpore parallel strategy file/);
  });

  it('says at which byte and in which value a truncated checkpoint ends', () => {
    const lenet = fs.readFileSync(LENET);
    expectThrowsNoLeak(read(lenet.subarray(0, 1000)),
        /^readMindSporeCheckpoint: the 1000 bytes are a truncated checkpoint: the field at byte \d+ needs \d+ bytes but only \d+ remain \(it ends at byte \d+, past byte 1000\), in value #1 \('conv2\.weight'\)\. Download or copy the file again\.$/);
    // cut inside the tag itself: the value is named by index only
    const bytes = checkpoint([tensorValue('a.long.tag', {dims: [1], type: 'Float32', content: f32([1])})]);
    expectThrowsNoLeak(read(bytes.subarray(0, 6)),
        /^readMindSporeCheckpoint: the 6 bytes are a truncated checkpoint: .*, in value #0\. Download/);
  });

  it('says a file starting with a varint field 1 (SavedModel 0801, an ONNX header) is another protobuf', () => {
    const msg = /^readMindSporeCheckpoint: the file begins with field 1 as a varint, as a TensorFlow SavedModel \(saved_model\.pb\), an ONNX model or another protobuf does; a MindSpore checkpoint begins with field 1 as a length-delimited value\./;
    expectThrowsNoLeak(read(Uint8Array.from([0x08, 0x01])), msg);
    // ONNX ModelProto: ir_version 8, producer_name 'pytorch', producer_version '2.1.0'
    const onnx = Uint8Array.from([...key(1, 0), ...varint(8), ...lengthDelimited(2, utf8('pytorch')),
                                  ...lengthDelimited(3, utf8('2.1.0'))]);
    expectThrowsNoLeak(read(onnx), msg);
  });

  it('rejects bytes holding only fields a checkpoint does not have', () => {
    expectThrowsNoLeak(read(Uint8Array.from([...lengthDelimited(2, utf8('AB'))])),
        /^readMindSporeCheckpoint: the 4 bytes are not a MindSpore checkpoint \(corrupt, or another format\): byte 0 starts field 2 with wire type 2, but a checkpoint holds only values \(field 1, length-delimited\)\.$/);
    expectThrowsNoLeak(read(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
        /^readMindSporeCheckpoint: the 8 bytes are not a MindSpore checkpoint \(corrupt, or another format\)/);
  });

  it('rejects a crc trailer with no values before it', () => {
    const trailer = Buffer.concat([Buffer.from('crc_num'), Buffer.alloc(10)]);
    expectThrowsNoLeak(read(trailer),
        /^readMindSporeCheckpoint: the 17 bytes hold only a crc trailer and no checkpoint value\.$/);
  });

  it('says a truncated safetensors file is truncated, in its header or its data', () => {
    const st = writeSafetensors([{name: 'w', dtype: 'F32', shape: [4], data: Buffer.alloc(16)}]);
    expectThrowsNoLeak(read(st.subarray(0, 20)),
        /^readMindSporeCheckpoint: the bytes are a truncated safetensors file: its header needs bytes 8 to \d+, but the file ends at byte 20\. Download or copy it again\.$/);
    expectThrowsNoLeak(read(st.subarray(0, st.length - 3)),
        /^readMindSporeCheckpoint: the bytes are a truncated safetensors file: its tensors need 16 bytes of data after the header, but only 13 follow it/);
  });

  it('rejects a safetensors file without tensors', () => {
    expectThrowsNoLeak(read(writeSafetensors([], {format: 'ms'})),
        /^readMindSporeCheckpoint: the safetensors file holds no tensors/);
  });

  it('still reads a checkpoint whose data happens to start with any of these signatures', () => {
    // A real checkpoint begins with field 1 (length-delimited): none of the checks fire.
    const map = readMindSporeCheckpoint(handAssembledBytes());
    expect(map.size).toBeGreaterThan(0);
    tf.dispose([...map.values()]);
  });
});
