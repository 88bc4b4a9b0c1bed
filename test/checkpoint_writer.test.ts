// SPDX-License-Identifier: Apache-2.0
import * as fs from 'fs';
import * as zlib from 'zlib';

import * as tf from '@tensorflow/tfjs-core';

import {readMindSporeCheckpoint, saveMindSporeCheckpoint, SaveCheckpointOptions} from '../src';
import {expectNoLeak, expectThrowsNoLeak} from './test_util';
import {WRITER_PATH, writerFixtureByHand, writerTensors} from './io/fixtures';
import {checkpoint, f32, i32, tensorValue, u8, utf32} from './io/wire';

const zlibCrc32 = (zlib as unknown as {crc32(data: Uint8Array): number}).crc32;

/** A decimal string plus a small number, digit by digit (2^72 is beyond doubles). */
function addDecimal(big: string, n: number): string {
  const digits = big.split('').map(Number);
  let carry = n;
  for (let i = digits.length - 1; i >= 0 && carry > 0; i--) {
    const v = digits[i] + carry;
    digits[i] = v % 10;
    carry = Math.floor(v / 10);
  }
  return (carry > 0 ? String(carry) : '') + digits.join('');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Writes, reads back, and returns [tag, dtype, shape, values] rows; checks for leaks. */
function roundTrip(make: () => Map<string, tf.Tensor>, options?: SaveCheckpointOptions):
    Array<[string, tf.DataType, number[], unknown[]]> {
  return expectNoLeak(() => {
    const tensors = make();
    const bytes = saveMindSporeCheckpoint(tensors, options);
    tf.dispose([...tensors.values()]);
    const read = readMindSporeCheckpoint(bytes, {skipOptimizerState: false});
    const rows = [...read].map(([tag, t]): [string, tf.DataType, number[], unknown[]] =>
        [tag, t.dtype, t.shape, Array.from(t.dataSync())]);
    tf.dispose([...read.values()]);
    return rows;
  });
}

describe('saveMindSporeCheckpoint', () => {
  it('round-trips float32 bit for bit, including NaN, infinities, -0 and subnormals', () => {
    const values = [1.5, -0, NaN, Infinity, -Infinity, 2 ** -149, 3.4028234663852886e38, Math.fround(0.1)];
    const [[tag, dtype, shape, got]] = roundTrip(
        () => new Map([['w', tf.tensor2d(values, [2, 4])]]));
    expect([tag, dtype, shape]).toEqual(['w', 'float32', [2, 4]]);
    expect(Object.is(got[1], -0)).toBe(true);
    expect(got).toEqual(values);
  });

  it('round-trips int32, bool, scalars, size-0 tensors and string scalars', () => {
    const rows = roundTrip(() => new Map<string, tf.Tensor>([
      ['ids', tf.tensor1d([-2147483648, 0, 2147483647], 'int32')],
      ['mask', tf.tensor3d([true, false, false, true], [1, 2, 2], 'bool')],
      ['scale', tf.scalar(-2.5)],
      ['step', tf.scalar(7, 'int32')],
      ['empty', tf.zeros([3, 0])],
      ['name', tf.scalar('r\u00e9seau \u{1F600}')],
    ]));
    expect(rows).toEqual([
      ['ids', 'int32', [3], [-2147483648, 0, 2147483647]],
      ['mask', 'bool', [1, 2, 2], [1, 0, 0, 1]],
      ['scale', 'float32', [], [-2.5]],
      ['step', 'int32', [], [7]],
      ['empty', 'float32', [3, 0], []],
      ['name', 'string', [], ['r\u00e9seau \u{1F600}']],
    ]);
  });

  it('writes exactly the bytes of the independent wire-format assembly', () => {
    const tensors = writerTensors();
    const bytes = saveMindSporeCheckpoint(tensors);
    expect(bytes).toEqual(writerFixtureByHand());
    tf.dispose([...tensors.values()]);
  });

  it('matches the committed fixture test/fixtures/writer_bn_gn.ckpt', () => {
    const tensors = writerTensors();
    expect(saveMindSporeCheckpoint(tensors)).toEqual(new Uint8Array(fs.readFileSync(WRITER_PATH)));
    tf.dispose([...tensors.values()]);
  });

  it('reads back the committed fixture', () => {
    const read = expectNoLeak(() => {
      const map = readMindSporeCheckpoint(WRITER_PATH, {skipOptimizerState: false});
      const rows = [...map].map(([tag, t]) => [tag, t.dtype, t.shape, Array.from(t.dataSync())]);
      tf.dispose([...map.values()]);
      return rows;
    });
    expect(read).toEqual([
      ['bn.gamma', 'float32', [4], [1, 1.5, 0.5, 2]],
      ['bn.beta', 'float32', [4], [0, 0.25, -0.25, 1]],
      ['bn.moving_mean', 'float32', [4], [0.1, -0.2, 0.3, 0].map(Math.fround)],
      ['bn.moving_variance', 'float32', [4], [1, 0.5, 2, 4]],
      ['gn.gamma', 'float32', [4], [1, 2, 0.5, -1.5]],
      ['gn.beta', 'float32', [4], [0, 0.375, -3, 3.140625]],
      ['global_step', 'int32', [1], [120]],
      ['scale', 'float32', [], [0.75]],
      ['mask', 'bool', [1, 3], [1, 0, 1]],
    ]);
  });

  it('takes a plain object as well as a Map, and leaves the tensors alive', () => {
    const a = tf.tensor1d([1, 2]);
    const b = tf.scalar(3, 'int32');
    const fromRecord = saveMindSporeCheckpoint({a, b});
    expect(fromRecord).toEqual(saveMindSporeCheckpoint(new Map<string, tf.Tensor>([['a', a], ['b', b]])));
    expect(fromRecord).toEqual(checkpoint([
      tensorValue('a', {dims: [2], type: 'Float32', content: f32([1, 2])}),
      tensorValue('b', {dims: [0], type: 'Int32', content: i32([3])}),
    ]));
    expect(a.isDisposed || b.isDisposed).toBe(false);
    tf.dispose([a, b]);
  });

  it('writes a string scalar as MindSpore\'s str (UTF-32LE) with dims [0]', () => {
    const s = tf.scalar('lr');
    expect(saveMindSporeCheckpoint({s})).toEqual(
        checkpoint([tensorValue('s', {dims: [0], type: 'str', content: utf32('lr')})]));
    s.dispose();
  });


  it('round-trips an empty rank-1 tensor and a scalar, both written with dims [0]', () => {
    const rows = roundTrip(() => new Map<string, tf.Tensor>([
      ['empty', tf.zeros([0])], ['scalar', tf.scalar(3)], ['emptyInt', tf.tensor1d([], 'int32')]]));
    expect(rows).toEqual([
      ['empty', 'float32', [0], []], ['scalar', 'float32', [], [3]], ['emptyInt', 'int32', [0], []]]);
    const e = tf.zeros([0]);
    expect(saveMindSporeCheckpoint({e})).toEqual(
        checkpoint([tensorValue('e', {dims: [0], type: 'Float32', content: []})]));
    e.dispose();
  });

  it('round-trips names that are Object.prototype properties', () => {
    expect(roundTrip(() => new Map([['constructor', tf.scalar(1)], ['__proto__', tf.scalar(2)]])))
        .toEqual([['constructor', 'float32', [], [1]], ['__proto__', 'float32', [], [2]]]);
  });

  describe('crc trailer (options.crcCheck)', () => {
    it('appends crc_num and the CRC-32 (zlib\'s) of the values as 10 bytes big-endian', () => {
      const tensors = writerTensors();
      const plain = saveMindSporeCheckpoint(tensors);
      const withCrc = saveMindSporeCheckpoint(tensors, {crcCheck: true});
      const number = Buffer.alloc(10);
      number.writeUInt32BE(zlibCrc32(plain), 6);
      expect(Buffer.from(withCrc)).toEqual(Buffer.concat([plain, Buffer.from('crc_num'), number]));
      tf.dispose([...tensors.values()]);
    });

    it('reads back verified, and a damaged file fails the check with both values', () => {
      const rows = roundTrip(writerTensors, {crcCheck: true});
      expect(rows).toEqual(roundTrip(writerTensors));
      const tensors = writerTensors();
      const bytes = saveMindSporeCheckpoint(tensors, {crcCheck: true});
      tf.dispose([...tensors.values()]);
      const good = zlibCrc32(bytes.subarray(0, bytes.length - 17));
      bytes[20] ^= 0x01;  // one bit inside bn.gamma's content
      const bad = zlibCrc32(bytes.subarray(0, bytes.length - 17));
      expectThrowsNoLeak(() => readMindSporeCheckpoint(bytes, {verifyCrc: true}), new RegExp(
          `^readMindSporeCheckpoint: the crc check failed: the trailer stores ${good}, but the CRC-32 of the ${bytes.length - 17} bytes before it is ${bad}: the file is damaged\\.$`));
    });

    it('reports a stored number beyond 32 bits exactly, and a missing trailer when asked to verify', () => {
      const w = tf.tensor1d([1]);
      const bytes = saveMindSporeCheckpoint({w}, {crcCheck: true});
      bytes[bytes.length - 10] = 1;  // the top byte of the 10: 2^72 + crc
      const crc = zlibCrc32(bytes.subarray(0, bytes.length - 17));
      expectThrowsNoLeak(() => readMindSporeCheckpoint(bytes, {verifyCrc: true}), new RegExp(
          `the trailer stores ${addDecimal('4722366482869645213696', crc)}, but the CRC-32 of the \\d+ bytes before it is ${crc}`));
      expectThrowsNoLeak(() => readMindSporeCheckpoint(saveMindSporeCheckpoint({w}), {verifyCrc: true}),
          /^readMindSporeCheckpoint: options\.verifyCrc is true, but the file has no crc trailer \('crc_num' and the CRC-32 in its last 17 bytes\): it was saved without crc_check=True\.$/);
      w.dispose();
    });
  });

  describe('slicing (options.sliceBytes)', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    it('splits content into consecutive values of whole elements, as MindSpore does', () => {
      const w = tf.tensor2d(values, [2, 5]);
      const m = tf.tensor1d([true, false, true], 'bool');
      // 10 bytes hold 2.5 float32s: rounded down to 8 bytes (2 elements) per value.
      expect(saveMindSporeCheckpoint({w, m}, {sliceBytes: 10})).toEqual(checkpoint([
        ...[0, 2, 4, 6, 8].map(
            i => tensorValue('w', {dims: [2, 5], type: 'Float32', content: f32(values.slice(i, i + 2))})),
        tensorValue('m', {dims: [3], type: 'Bool', content: u8([1, 0, 1])}),
      ]));
      tf.dispose([w, m]);
    });

    it('reads sliced output back unchanged', () => {
      expect(roundTrip(() => new Map([['w', tf.tensor2d(values, [5, 2])]]), {sliceBytes: 12}))
          .toEqual([['w', 'float32', [5, 2], values]]);
    });

    it('writes at least one element per value when sliceBytes is smaller', () => {
      const w = tf.tensor1d([1, 2]);
      expect(saveMindSporeCheckpoint({w}, {sliceBytes: 1})).toEqual(checkpoint([
        tensorValue('w', {dims: [2], type: 'Float32', content: f32([1])}),
        tensorValue('w', {dims: [2], type: 'Float32', content: f32([2])}),
      ]));
      w.dispose();
    });
  });

  describe('errors', () => {
    let ok: tf.Tensor;
    let disposed: tf.Tensor;
    beforeAll(() => {
      ok = tf.tensor1d([1]);
      disposed = tf.tensor1d([1]);
      disposed.dispose();
    });
    afterAll(() => ok.dispose());

    const cases: Array<[string, () => unknown, RegExp]> = [
      ['an array of tensors', () => saveMindSporeCheckpoint([ok] as unknown as Map<string, tf.Tensor>),
       /saveMindSporeCheckpoint: 'tensors' must be a Map or an object from names to tensors, but got/],
      ['null', () => saveMindSporeCheckpoint(null as unknown as Map<string, tf.Tensor>),
       /'tensors' must be a Map or an object from names to tensors, but got null/],
      ['a value that is not a tensor', () => saveMindSporeCheckpoint({ok, w: [1, 2] as unknown as tf.Tensor}),
       /saveMindSporeCheckpoint: 'tensors\['w'\]' must be a tf.Tensor, but got \[1, 2\]\./],
      ['a disposed tensor', () => saveMindSporeCheckpoint({ok, gone: disposed}),
       /saveMindSporeCheckpoint: 'tensors\['gone'\]' is a disposed tensor/],
      ['a complex64 tensor', () => saveMindSporeCheckpoint({c: tf.complex([1], [2])}),
       /'tensors\['c'\]' must be a float32, int32, bool or string tensor, but got a complex64 tensor of shape \[1\]/],
      ['a string tensor of rank 1', () => saveMindSporeCheckpoint({s: tf.tensor1d(['a', 'b'])}),
       /'tensors\['s'\]' must be a scalar when its dtype is string, but got a string tensor of shape \[2\]/],
      ['no tensors', () => saveMindSporeCheckpoint(new Map()),
       /saveMindSporeCheckpoint: 'tensors' must hold at least one tensor, but it is empty \(a checkpoint without values cannot be loaded, by MindSpore or by readMindSporeCheckpoint\)\./],
      ['an empty name', () => saveMindSporeCheckpoint(new Map([['', ok]])),
       /'tensors' must be keyed by non-empty names, but got ''/],
      ['a fractional sliceBytes', () => saveMindSporeCheckpoint({ok}, {sliceBytes: 2.5}),
       /saveMindSporeCheckpoint: 'options.sliceBytes' must be an integer >= 1, but got 2.5\./],
      ['a zero sliceBytes', () => saveMindSporeCheckpoint({ok}, {sliceBytes: 0}),
       /'options.sliceBytes' must be an integer >= 1, but got 0/],
      ['a name with a lone surrogate', () => saveMindSporeCheckpoint(new Map([['bn\uD800.gamma', ok]])),
       /^saveMindSporeCheckpoint: 'tensors' must be keyed by well-formed Unicode names, but the name "bn\\ud800\.gamma" has a lone surrogate at index 2, which UTF-8 cannot store \(it would be written as U\+FFFD and read back as another name\)\.$/],
      ['a name with a lone low surrogate', () => saveMindSporeCheckpoint(new Map([['\uDC00', ok]]), {format: 'safetensors'}),
       /has a lone surrogate at index 0/],
      ['a tensor of rank 9', () => saveMindSporeCheckpoint({r9: tf.zeros(new Array(9).fill(1))}),
       /^saveMindSporeCheckpoint: 'tensors\['r9'\]' must be of rank <= 8 \(MindSpore's largest\), but got a float32 tensor of shape \[1,1,1,1,1,1,1,1,1\]\.$/],
      ['more slices than a reader accepts', () => saveMindSporeCheckpoint({big: tf.zeros([65537])}, {sliceBytes: 4}),
       /^saveMindSporeCheckpoint: 'tensors\['big'\]' would need 65537 slices of 4 bytes, more than the 65536 a reader accepts: raise options.sliceBytes\.$/],
      ['a non-boolean crcCheck', () => saveMindSporeCheckpoint({ok}, {crcCheck: 1 as unknown as boolean}),
       /'options.crcCheck' must be a boolean, but got 1/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message`, () => {
        // Tensors made inside fn are the test's own; count only what the writer adds.
        const before = tf.memory().numTensors;
        expect(() => tf.tidy(() => {
          fn();
        })).toThrow(msg);
        expect(tf.memory().numTensors).toBe(before);
      });
    }

    it('allocates nothing on an error path', () => {
      expectThrowsNoLeak(() => saveMindSporeCheckpoint({ok, gone: disposed}), /disposed/);
    });
  });
});
