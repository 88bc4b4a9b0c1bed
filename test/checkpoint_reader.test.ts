// SPDX-License-Identifier: Apache-2.0
import * as fs from 'fs';

import * as tf from '@tensorflow/tfjs-core';

import {isOptimizerState, readMindSporeCheckpoint} from '../src';
import {expectClose, expectNoLeak, expectThrowsNoLeak} from './test_util';
import {HAND_ASSEMBLED_EXPECTED, HAND_ASSEMBLED_PATH, HAND_ASSEMBLED_TRAINING_STATE, handAssembledBytes} from './io/fixtures';
import {bits16, checkpoint, f32, f64, i16, i32, i64, i8, key, lengthDelimited, mapTensorValue, TensorFields, tensorValue, u16, u32, u8, utf32, utf8, varint} from './io/wire';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Read {
  dtype: tf.DataType;
  shape: number[];
  values: unknown[];
}

/** Reads, converts every tensor to plain data, disposes, and checks that nothing leaked. */
function readAll(
    source: Uint8Array|ArrayBuffer|ArrayBufferView|string,
    options?: Parameters<typeof readMindSporeCheckpoint>[1]): Map<string, Read> {
  return expectNoLeak(() => {
    const map = readMindSporeCheckpoint(source, options);
    const out = new Map<string, Read>();
    for (const [tag, t] of map) {
      out.set(tag, {dtype: t.dtype, shape: t.shape, values: Array.from(t.dataSync())});
    }
    tf.dispose([...map.values()]);
    return out;
  });
}

function one(fields: TensorFields, tag = 'p'): Read {
  const got = readAll(checkpoint([tensorValue(tag, fields)]));
  expect([...got.keys()]).toEqual([tag]);
  return got.get(tag)!;
}

/** The bytes of a fixture with one bad value appended after good ones (so a leak would show). */
function afterGoodOnes(...bad: number[][]): Uint8Array {
  return checkpoint([
    tensorValue('a', {dims: [2], type: 'Float32', content: f32([1, 2])}),
    tensorValue('b', {dims: [1], type: 'Int32', content: i32([3])}),
    ...bad,
  ]);
}

describe('protobuf wire assembler (test helper)', () => {
  it('encodes varints as the protobuf spec examples', () => {
    expect(varint(1)).toEqual([0x01]);
    expect(varint(150)).toEqual([0x96, 0x01]);
    expect(varint(300)).toEqual([0xac, 0x02]);
    expect(varint(2 ** 35)).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(varint(-1)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(key(2, 2)).toEqual([0x12]);
    expect(lengthDelimited(2, utf8('testing'))).toEqual(
        [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  });
});

describe('readMindSporeCheckpoint', () => {
  describe('tensor types', () => {
    const cases: Array<[string, number[], number[], tf.DataType, number[]]> = [
      // float16: 1, -2, 0x3555, max, smallest subnormal, -0, +inf, -inf, NaN
      ['Float16', [9], bits16([0x3c00, 0xc000, 0x3555, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00]),
       'float32', [1, -2, 0.333251953125, 65504, 2 ** -24, -0, Infinity, -Infinity, NaN]],
      // bfloat16 is the top half of a float32: 1, -3, 3.140625, 2^-133 (subnormal), +inf
      ['BFloat16', [5], bits16([0x3f80, 0xc040, 0x4049, 0x0001, 0x7f80]),
       'float32', [1, -3, 3.140625, 2 ** -133, Infinity]],
      ['Float32', [3], f32([1.5, -2.25, 3.4e38]), 'float32', [1.5, -2.25, Math.fround(3.4e38)]],
      // float64 is rounded to float32; beyond float32's range it becomes infinite
      ['Float64', [4], f64([0.1, -2.5, 1e300, 1e-300]), 'float32', [Math.fround(0.1), -2.5, Infinity, 0]],
      ['Int8', [3], i8([-128, 127, 0]), 'int32', [-128, 127, 0]],
      ['Int16', [2], i16([-32768, 32767]), 'int32', [-32768, 32767]],
      ['Int32', [2], i32([-2147483648, 2147483647]), 'int32', [-2147483648, 2147483647]],
      ['Int64', [3], i64([-2147483648, 2147483647, -1]), 'int32', [-2147483648, 2147483647, -1]],
      ['UInt8', [2], u8([0, 255]), 'int32', [0, 255]],
      ['Uint8', [2], u8([7, 200]), 'int32', [7, 200]],
      ['UInt16', [2], u16([65535, 1]), 'int32', [65535, 1]],
      ['UInt32', [2], u32([2147483647, 0]), 'int32', [2147483647, 0]],
      ['UInt64', [2], i64([2147483647, 5]), 'int32', [2147483647, 5]],
      ['Bool', [3], u8([0, 1, 2]), 'bool', [0, 1, 1]],
    ];
    for (const [type, dims, content, dtype, expected] of cases) {
      it(`reads ${type} as ${dtype}`, () => {
        const got = one({dims, type, content});
        expect(got.dtype).toBe(dtype);
        expect(got.shape).toEqual(dims);
        expectClose(got.values as number[], expected, 0, 0);
      });
    }

    it('keeps the sign of a float16 negative zero', () => {
      const got = one({dims: [1], type: 'Float16', content: bits16([0x8000])});
      expect(Object.is(got.values[0], -0)).toBe(true);
    });

    it("reads 'str' (numpy UTF-32, NUL-padded) as a string scalar", () => {
      const got = one({dims: [0], type: 'str', content: utf32('Adam \u{1D6FC}', 12)});
      expect(got).toEqual({dtype: 'string', shape: [], values: ['Adam \u{1D6FC}']});
    });
  });

  describe('shapes and slices', () => {
    it('reads dims [0] and empty dims as scalars', () => {
      const got = readAll(checkpoint([
        tensorValue('old', {dims: [0], type: 'Float32', content: f32([2.5])}),
        tensorValue('new', {dims: [], type: 'Int64', content: i64([7])}),
      ]));
      expect(got.get('old')).toEqual({dtype: 'float32', shape: [], values: [2.5]});
      expect(got.get('new')).toEqual({dtype: 'int32', shape: [], values: [7]});
    });

    it('keeps dims [1] and reads a size-0 tensor of rank 2', () => {
      expect(one({dims: [1], type: 'Float32', content: f32([4])}).shape).toEqual([1]);
      expect(one({dims: [2, 0], type: 'Float32', content: []})).toEqual(
          {dtype: 'float32', shape: [2, 0], values: []});
    });

    it('concatenates consecutive values with one tag, even when split inside an element', () => {
      const content = f32([1, 2, 3, -4, 5, 6]);
      const got = readAll(checkpoint([
        tensorValue('w', {dims: [2, 3], type: 'Float32', content: content.slice(0, 5)}),
        tensorValue('w', {dims: [2, 3], type: 'Float32', content: content.slice(5, 16)}),
        tensorValue('w', {dims: [2, 3], type: 'Float32', content: content.slice(16)}),
        tensorValue('v', {dims: [1], type: 'Float32', content: f32([9])}),
      ]));
      expect(got.get('w')).toEqual({dtype: 'float32', shape: [2, 3], values: [1, 2, 3, -4, 5, 6]});
      expect(got.get('v')!.values).toEqual([9]);
    });

    it('accepts packed dims too', () => {
      const got = one({dims: [2, 1, 2], type: 'Int32', content: i32([1, 2, 3, 4]), packed: true});
      expect(got.shape).toEqual([2, 1, 2]);
      expect(got.values).toEqual([1, 2, 3, 4]);
    });

    it('returns the tags in file order', () => {
      const got = readAll(checkpoint(['z', 'a', 'm'].map(
          tag => tensorValue(tag, {dims: [1], type: 'Float32', content: f32([1])}))));
      expect([...got.keys()]).toEqual(['z', 'a', 'm']);
    });

    it('reads dims [0] with one element as a scalar and with none as an empty rank-1 tensor', () => {
      const got = readAll(checkpoint([
        tensorValue('scalar', {dims: [0], type: 'Int32', content: i32([5])}),
        tensorValue('empty', {dims: [0], type: 'Float32', content: []}),
        tensorValue('empty64', {dims: [0], type: 'Int64', content: []}),
      ]));
      expect(got.get('scalar')).toEqual({dtype: 'int32', shape: [], values: [5]});
      expect(got.get('empty')).toEqual({dtype: 'float32', shape: [0], values: []});
      expect(got.get('empty64')).toEqual({dtype: 'int32', shape: [0], values: []});
    });
  });

  describe('sources', () => {
    const bytes = checkpoint([tensorValue('x', {dims: [2], type: 'Float32', content: f32([1, -1])})]);
    const expected = new Map([['x', {dtype: 'float32', shape: [2], values: [1, -1]}]]);

    it('reads a Uint8Array, an ArrayBuffer, a Buffer and a view at an offset', () => {
      expect(readAll(bytes)).toEqual(expected);
      expect(readAll(bytes.slice().buffer)).toEqual(expected);
      expect(readAll(Buffer.from(bytes))).toEqual(expected);
      const padded = new Uint8Array(bytes.length + 7);
      padded.set(bytes, 3);
      expect(readAll(padded.subarray(3, 3 + bytes.length))).toEqual(expected);
      expect(readAll(new DataView(padded.buffer, 3, bytes.length))).toEqual(expected);
    });

    it('reads a file path in Node (synchronously)', () => {
      expect(readAll(HAND_ASSEMBLED_PATH)).toEqual(readAll(fs.readFileSync(HAND_ASSEMBLED_PATH)));
    });
  });

  describe('hand-assembled fixture (test/fixtures/hand_assembled.ckpt)', () => {
    it('is the bytes the wire assembler produces', () => {
      expect(new Uint8Array(fs.readFileSync(HAND_ASSEMBLED_PATH))).toEqual(handAssembledBytes());
    });

    it('reads the model parameters and skips training state and the map tensor by default', () => {
      const skipped: Array<[string, string]> = [];
      const got = readAll(HAND_ASSEMBLED_PATH, {onSkip: (tag, reason) => skipped.push([tag, reason])});
      expect([...got.keys()]).toEqual(HAND_ASSEMBLED_EXPECTED.map(e => e[0]));
      for (const [tag, dtype, shape, values] of HAND_ASSEMBLED_EXPECTED) {
        const t = got.get(tag)!;
        expect([t.dtype, t.shape]).toEqual([dtype, shape]);
        expectClose(t.values as number[], Float32Array.from(values), 0, 0);
      }
      expect(skipped.map(s => s[0])).toEqual([
        'moment1.bn.gamma', 'moment2.bn.gamma', 'global_step', 'learning_rate', 'beta1_power',
        'epoch_num', 'step_num', 'embedding.table',
      ]);
      expect(skipped.find(s => s[0] === 'moment1.bn.gamma')![1]).toMatch(/optimizer or training state/);
      expect(skipped.find(s => s[0] === 'embedding.table')![1]).toMatch(/map tensor \(MapParameter\)/);
    });

    it('reads the training state too with skipOptimizerState: false', () => {
      const got = readAll(HAND_ASSEMBLED_PATH, {skipOptimizerState: false});
      for (const [tag, dtype, shape, values] of HAND_ASSEMBLED_TRAINING_STATE) {
        const t = got.get(tag)!;
        expect([tag, t.dtype, t.shape]).toEqual([tag, dtype, shape]);
        expectClose(t.values as number[], Float32Array.from(values), 0, 0);
      }
      expect(got.size).toBe(HAND_ASSEMBLED_EXPECTED.length + HAND_ASSEMBLED_TRAINING_STATE.length);
      expect(got.has('embedding.table')).toBe(false);
    });

    it('keeps only what options.filter accepts, without decoding the rest', () => {
      const got = readAll(HAND_ASSEMBLED_PATH, {filter: tag => tag.startsWith('gn.')});
      expect([...got.keys()]).toEqual(['gn.gamma', 'gn.beta']);
      const withJunk = checkpoint([
        tensorValue('junk', {dims: [1], type: 'Complex64', content: [1]}),
        tensorValue('w', {dims: [1], type: 'Float32', content: f32([1])}),
      ]);
      expect([...readAll(withJunk, {filter: tag => tag !== 'junk'}).keys()]).toEqual(['w']);
    });

    it('fails cleanly, never leaking, at every truncation point', () => {
      const bytes = handAssembledBytes();
      let parsed = 0;
      for (let cut = 1; cut < bytes.length; cut++) {
        const before = tf.memory().numTensors;
        try {
          const map = readMindSporeCheckpoint(bytes.subarray(0, cut));
          tf.dispose([...map.values()]);
          parsed++;  // a cut between two values is itself a valid, shorter checkpoint
        } catch (e) {
          expect((e as Error).message).toMatch(/^readMindSporeCheckpoint: /);
        }
        expect(tf.memory().numTensors).toBe(before);
      }
      // The 17 cuts between two of the 18 values, except the one between the two
      // slices of conv.weight (whose content is then too short).
      expect(parsed).toBe(16);
    });
  });

  describe('skipping', () => {
    it('recognizes MindSpore optimizer slots and training counters', () => {
      for (const tag of ['moment1.conv.weight', 'moment2.bn.gamma', 'moments.fc.bias',
                         'accum.w', 'adam_m.x', 'adam_v.x', 'global_step', 'learning_rate',
                         'beta1_power', 'beta2_power', 'epoch_num']) {
        expect([tag, isOptimizerState(tag)]).toEqual([tag, true]);
      }
      for (const tag of ['conv.weight', 'bn.moment1', 'linear.weight', 'net.global_step',
                         'moment1', 'gamma']) {
        expect([tag, isOptimizerState(tag)]).toEqual([tag, false]);
      }
    });

    it('skips map tensors even with skipOptimizerState: false', () => {
      const got = readAll(checkpoint([
        mapTensorValue('table', [{dims: [1], type: 'Int64', content: i64([1])}]),
        tensorValue('w', {dims: [1], type: 'Float32', content: f32([1])}),
      ]), {skipOptimizerState: false});
      expect([...got.keys()]).toEqual(['w']);
    });

    it('always skips RNG state (random_op) and reports it', () => {
      const skipped: string[] = [];
      const got = readAll(checkpoint([
        tensorValue('random_op', {dims: [0], type: 'random_op', content: [1, 2, 3]}),
        tensorValue('w', {dims: [1], type: 'Float32', content: f32([1])}),
      ]), {skipOptimizerState: false, onSkip: (tag, reason) => skipped.push(`${tag}: ${reason}`)});
      expect([...got.keys()]).toEqual(['w']);
      expect(skipped).toEqual(['random_op: random number generator state, not a tensor']);
    });
  });

  describe('errors', () => {
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['content shorter than dims need',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('w', {dims: [2, 2], type: 'Float32', content: f32([1, 2, 3])}))),
       /readMindSporeCheckpoint: 'w' \(Float32, dims \[2,2\]\) needs 4 elements \(16 bytes\) of tensor_content, but has 12 bytes\./],
      ['content longer than dims need',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('w', {dims: [2], type: 'Int64', content: i64([1, 2, 3])}))),
       /'w' \(Int64, dims \[2\]\) needs 2 elements \(16 bytes\) of tensor_content, but has 24 bytes/],
      ['sliced content that does not add up',
       () => readMindSporeCheckpoint(afterGoodOnes(
           tensorValue('w', {dims: [3], type: 'Float32', content: f32([1])}),
           tensorValue('w', {dims: [3], type: 'Float32', content: f32([2])}))),
       /'w' \(Float32, dims \[3\]\) needs 3 elements \(12 bytes\) of tensor_content, but has 8 bytes in 2 slices/],
      ['dims [0] with two elements (neither a scalar nor empty)',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('s', {dims: [0], type: 'Float32', content: f32([1, 2])}))),
       /'s' \(Float32, dims \[0\]\) needs 1 element \(4 bytes\) of tensor_content, but has 8 bytes/],
      ['an unknown tensor_type',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('c', {dims: [1], type: 'Complex64', content: f32([1, 2])}))),
       /readMindSporeCheckpoint: 'c' has tensor_type 'Complex64', which is not one of Float16, BFloat16, Float32, Float64, Int8, Int16, Int32, Int64, UInt8, Uint8, UInt16, UInt32, UInt64, Int4, Bool, str\./],
      ['slices of one tag with different types',
       () => readMindSporeCheckpoint(afterGoodOnes(
           tensorValue('w', {dims: [2], type: 'Float32', content: f32([1])}),
           tensorValue('w', {dims: [2], type: 'Int32', content: i32([1])}))),
       /the slices of 'w' disagree: Float32 \[2\] then Int32 \[2\]/],
      ['slices of one tag with different dims',
       () => readMindSporeCheckpoint(afterGoodOnes(
           tensorValue('w', {dims: [2], type: 'Float32', content: f32([1])}),
           tensorValue('w', {dims: [1, 2], type: 'Float32', content: f32([1])}))),
       /the slices of 'w' disagree: Float32 \[2\] then Float32 \[1,2\]/],
      ['a tag repeated after another tag',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('a', {dims: [2], type: 'Float32', content: f32([1, 2])}))),
       /the tag 'a' appears twice with other tags in between/],
      ['a negative dimension',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('w', {dims: [-1, 2], type: 'Float32', content: f32([1, 2])}))),
       /'w' has a dimension -1; dims must be integers >= 0/],
      ['an Int64 beyond int32',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('ids', {dims: [3], type: 'Int64', content: i64([1, 2147483648, 3])}))),
       /'ids' \(Int64\) holds 2147483648 at flat index 1, outside tfjs's int32 range \[-2147483648, 2147483647\]/],
      ['an Int64 below int32',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('ids', {dims: [1], type: 'Int64', content: i64([-2147483649])}))),
       /'ids' \(Int64\) holds -2147483649 at flat index 0/],
      ['a UInt32 beyond int32',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('u', {dims: [1], type: 'UInt32', content: u32([4294967295])}))),
       /'u' \(UInt32\) holds 4294967295 at flat index 0/],
      ['a UInt64 beyond int32',
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('u', {dims: [1], type: 'UInt64', content: i64([2 ** 32])}))),
       /'u' \(UInt64\) holds 4294967296 at flat index 0/],
      ["a 'str' that is not a scalar",
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('s', {dims: [2], type: 'str', content: utf32('ab')}))),
       /'s' \(str\) must be a scalar of UTF-32 text \(a multiple of 4 bytes\), but got dims \[2\] and 8 bytes/],
      ["a 'str' that is not UTF-32",
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('s', {dims: [0], type: 'str', content: [65, 0, 0]}))),
       /'s' \(str\) must be a scalar of UTF-32 text/],
      ["a 'str' beyond Unicode",
       () => readMindSporeCheckpoint(afterGoodOnes(tensorValue('s', {dims: [0], type: 'str', content: u32([0x110000])}))),
       /'s' \(str\) holds a value that is not a Unicode code point/],
      ['a value with neither tensor nor map tensor',
       () => readMindSporeCheckpoint(afterGoodOnes(lengthDelimited(1, lengthDelimited(1, utf8('empty'))))),
       /readMindSporeCheckpoint: 'empty' \(value #2, byte 50\) holds neither a tensor nor a map tensor\./],
      ['a slice with neither tensor nor map tensor',
       () => readMindSporeCheckpoint(afterGoodOnes(
           tensorValue('w', {dims: [2], type: 'Float32', content: f32([1])}),
           lengthDelimited(1, lengthDelimited(1, utf8('w'))))),
       /readMindSporeCheckpoint: 'w' \(value #3, byte 74\) holds neither a tensor nor a map tensor\./],
      ['a tensor without its required tensor_type',
       () => readMindSporeCheckpoint(afterGoodOnes(lengthDelimited(1, [
         ...lengthDelimited(1, utf8('w')), ...lengthDelimited(2, lengthDelimited(3, f32([1])))]))),
       /readMindSporeCheckpoint: 'w' \(value #2\) is missing its required 'tensor_type': the file is corrupt\./],
      ['a value without its required tag',
       () => readMindSporeCheckpoint(checkpoint([lengthDelimited(1, lengthDelimited(2, [
         ...lengthDelimited(2, utf8('Float32')), ...lengthDelimited(3, f32([1]))]))])),
       /readMindSporeCheckpoint: value #0 \(byte 0\) has no tag; every MindSpore checkpoint value has its required 'tag'/],
      ['a length running past the end',
       () => readMindSporeCheckpoint(afterGoodOnes([0x0a, 0x40, 0x0a, 0x01, 0x77])),
       /readMindSporeCheckpoint: the 55 bytes are a truncated checkpoint: the field at byte 51 needs 64 bytes but only 3 remain \(it ends at byte 116, past byte 55\), in value #2 \('w'\)\. Download or copy the file again\./],
      ['an invalid wire type',
       () => readMindSporeCheckpoint(Uint8Array.from([0x0f, 0x00])),
       /readMindSporeCheckpoint: the 2 bytes are not a MindSpore checkpoint/],
      ['a number as source', () => readMindSporeCheckpoint(42 as unknown as Uint8Array),
       /readMindSporeCheckpoint: 'source' must be a Uint8Array, an ArrayBuffer or \(in Node\) a file path, but got 42\./],
      ['null as source', () => readMindSporeCheckpoint(null as unknown as Uint8Array),
       /'source' must be a Uint8Array, an ArrayBuffer or \(in Node\) a file path, but got null/],
      ['a plain array as source', () => readMindSporeCheckpoint([10, 0] as unknown as Uint8Array),
       /'source' must be a Uint8Array, an ArrayBuffer or \(in Node\) a file path, but got \[10, 0\]/],
      ['a missing file', () => readMindSporeCheckpoint('/nonexistent/model.ckpt'),
       /readMindSporeCheckpoint: cannot read '\/nonexistent\/model\.ckpt': ENOENT/],
      ['a non-boolean skipOptimizerState',
       () => readMindSporeCheckpoint(afterGoodOnes(), {skipOptimizerState: 'yes' as unknown as boolean}),
       /readMindSporeCheckpoint: 'options.skipOptimizerState' must be a boolean, but got 'yes'\./],
      ['a non-function filter',
       () => readMindSporeCheckpoint(afterGoodOnes(), {filter: /bn/ as unknown as () => boolean}),
       /'options.filter' must be a function/],
      ['a non-object options', () => readMindSporeCheckpoint(afterGoodOnes(), 3 as unknown as {}),
       /'options' must be an object, but got 3/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }
  });
});
