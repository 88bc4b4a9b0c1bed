// SPDX-License-Identifier: Apache-2.0
/**
 * safetensors (MindSpore >= 2.4, save_checkpoint(format="safetensors")):
 * reading files made by this test's own writer (safetensors_writer.ts),
 * strict header validation, MindSpore's Int4 packing and crc_num, and the
 * package's writer checked byte by byte against the layout.
 */
import * as zlib from 'zlib';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {loadMindSporeWeights, readMindSporeCheckpoint, saveMindSporeCheckpoint} from '../../src';
import {expectNoLeak, expectThrowsNoLeak} from '../test_util';
import {writeSafetensors} from './safetensors_writer';
import {bits16, checkpoint, f32, f64, i16, i32, i64, i8, tensorValue, u16, u32, u8} from './wire';

const crc32 = (zlib as unknown as {crc32(data: Uint8Array, value?: number): number}).crc32;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Rows = Array<[string, string, number[], unknown[]]>;

function readRows(bytes: Uint8Array, options = {}): Rows {
  return expectNoLeak(() => {
    const map = readMindSporeCheckpoint(bytes, {skipOptimizerState: false, ...options});
    const rows = [...map].map(([tag, t]): [string, string, number[], unknown[]] =>
        [tag, t.dtype, t.shape, Array.from(t.dataSync())]);
    tf.dispose([...map.values()]);
    return rows;
  });
}

const data = (bytes: number[]) => Uint8Array.from(bytes);

describe('readMindSporeCheckpoint on safetensors', () => {
  it('maps every dtype as the .ckpt reader does', () => {
    const st = writeSafetensors([
      {name: 'a_f16', dtype: 'F16', shape: [3], data: data(bits16([0x3c00, 0xc000, 0x7c00]))},
      {name: 'b_bf16', dtype: 'BF16', shape: [2], data: data(bits16([0x3f80, 0xc040]))},
      {name: 'c_f32', dtype: 'F32', shape: [2, 1], data: data(f32([1.5, -0]))},
      {name: 'd_f64', dtype: 'F64', shape: [2], data: data(f64([0.1, 1e300]))},
      {name: 'e_i8', dtype: 'I8', shape: [2], data: data(i8([-128, 127]))},
      {name: 'f_i16', dtype: 'I16', shape: [1], data: data(i16([-300]))},
      {name: 'g_i32', dtype: 'I32', shape: [1], data: data(i32([-7]))},
      {name: 'h_i64', dtype: 'I64', shape: [2], data: data(i64([-2147483648, 5]))},
      {name: 'i_u8', dtype: 'U8', shape: [1], data: data(u8([255]))},
      {name: 'j_u16', dtype: 'U16', shape: [1], data: data(u16([65535]))},
      {name: 'k_u32', dtype: 'U32', shape: [1], data: data(u32([2147483647]))},
      {name: 'l_u64', dtype: 'U64', shape: [1], data: data(i64([9]))},
      {name: 'm_bool', dtype: 'BOOL', shape: [3], data: data([0, 1, 2])},
      {name: 'n_scalar', dtype: 'F32', shape: [], data: data(f32([2.5]))},
      {name: 'o_empty', dtype: 'F32', shape: [0], data: data([])},
    ], {format: 'ms'});
    expect(readRows(st)).toEqual([
      ['a_f16', 'float32', [3], [1, -2, Infinity]],
      ['b_bf16', 'float32', [2], [1, -3]],
      ['c_f32', 'float32', [2, 1], [1.5, -0]],
      ['d_f64', 'float32', [2], [Math.fround(0.1), Infinity]],
      ['e_i8', 'int32', [2], [-128, 127]],
      ['f_i16', 'int32', [1], [-300]],
      ['g_i32', 'int32', [1], [-7]],
      ['h_i64', 'int32', [2], [-2147483648, 5]],
      ['i_u8', 'int32', [1], [255]],
      ['j_u16', 'int32', [1], [65535]],
      ['k_u32', 'int32', [1], [2147483647]],
      ['l_u64', 'int32', [1], [9]],
      ['m_bool', 'bool', [3], [0, 1, 1]],
      ['n_scalar', 'float32', [], [2.5]],
      ['o_empty', 'float32', [0], []],
    ]);
  });

  it('returns names in code point order (as MindSpore sorts them), whatever the data order', () => {
    const st = writeSafetensors([
      {name: 'z', dtype: 'I32', shape: [1], data: data(i32([1]))},
      {name: '\u{1F600}', dtype: 'I32', shape: [1], data: data(i32([2]))},
      {name: '\uFF21', dtype: 'I32', shape: [1], data: data(i32([3]))},
      {name: 'a', dtype: 'I32', shape: [1], data: data(i32([4]))},
    ]);
    // U+FF21 < U+1F600 by code point, though not by UTF-16 code unit
    expect(readRows(st).map(r => [r[0], r[3][0]])).toEqual([['a', 4], ['z', 1], ['\uFF21', 3], ['\u{1F600}', 2]]);
  });

  it('unpacks Int4 (qint4x2) low nibble first, sign-extended, doubling the last dimension', () => {
    // Packed as golden-stick's np_int4data_pack_to_int8: byte = (v[2i] & 0xF) | (v[2i+1] << 4)
    const values = [[-8, 7, 0, -1], [3, -3, 1, 2]];
    const packed = values.map(row => [0, 2].map(i => ((row[i] & 0xf) | ((row[i + 1] & 0xf) << 4)) & 0xff));
    const st = writeSafetensors(
        [{name: 'q.weight', dtype: 'I8', shape: [2, 2], data: Int8Array.from(packed.flat().map(b => (b << 24) >> 24)) as unknown as Uint8Array}],
        {format: 'ms', 'q.weight': 'Int4'});
    expect(readRows(st)).toEqual([['q.weight', 'int32', [2, 4], values.flat()]]);
  });

  it('reads Int4 in a .ckpt (tensor_type \'Int4\') the same way', () => {
    const packed = [0x78, 0xf0, 0xd3, 0x21];  // [-8, 7, 0, -1], [3, -3, 1, 2]
    const ckpt = checkpoint([tensorValue('q.weight', {dims: [2, 2], type: 'Int4', content: packed})]);
    expect(readRows(ckpt)).toEqual([['q.weight', 'int32', [2, 4], [-8, 7, 0, -1, 3, -3, 1, 2]]]);
    expectThrowsNoLeak(
        () => readMindSporeCheckpoint(checkpoint([tensorValue('q', {dims: [0], type: 'Int4', content: [0x12]})])),
        /'q' \(Int4\) has dims \[0\]; packed Int4 needs at least one dimension to unpack along\./);
  });

  it('verifies crc_num as MindSpore computes it, giving both values on a mismatch', () => {
    const items = [
      {name: 'b', dtype: 'F32', shape: [2], data: data(f32([1, 2]))},
      {name: 'a', dtype: 'I32', shape: [1], data: data(i32([3]))},
    ];
    let crc = 0;
    for (const it of [items[1], items[0]]) {  // sorted by name
      crc = crc32(Buffer.from(it.name), crc);
      crc = crc32(it.data, crc);
    }
    const ok = writeSafetensors(items, {format: 'ms', crc_num: String(crc)});
    expect(readRows(ok, {verifyCrc: true}).map(r => r[0])).toEqual(['a', 'b']);
    const bad = writeSafetensors(items, {format: 'ms', crc_num: String(crc ^ 1)});
    expect(readRows(bad).map(r => r[0])).toEqual(['a', 'b']);  // checked only when asked
    expectThrowsNoLeak(() => readMindSporeCheckpoint(bad, {verifyCrc: true}), new RegExp(
        `^readMindSporeCheckpoint: the crc check failed: '__metadata__' stores crc_num '${crc ^ 1}', but the CRC-32 of the names and data is ${crc}: the file is damaged\\.$`));
    expectThrowsNoLeak(() => readMindSporeCheckpoint(writeSafetensors(items, {format: 'ms'}), {verifyCrc: true}),
        /options\.verifyCrc is true, but the safetensors file has no 'crc_num' in its __metadata__: it was saved without crc_check=True\./);
  });

  it('gives loadMindSporeWeights the same Map as a .ckpt (a Dense kernel transposed from [out, in])', () => {
    const weight = [1, 2, 3, 4, 5, 6];  // [out 2, in 3]
    const st = writeSafetensors([
      {name: 'fc.bias', dtype: 'F32', shape: [2], data: data(f32([0.5, -0.5]))},
      {name: 'fc.weight', dtype: 'F32', shape: [2, 3], data: data(f32(weight))},
    ], {format: 'ms'});
    const model = tfl.sequential({layers: [tfl.layers.dense({name: 'fc', units: 2, inputShape: [3]})]});
    const ckpt = readMindSporeCheckpoint(st);
    const report = loadMindSporeWeights(model, ckpt);
    expect(report.assigned.length).toBe(2);
    const [kernel, bias] = model.layers[0].getWeights();
    expect(kernel.shape).toEqual([3, 2]);
    expect(Array.from(kernel.dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(bias.dataSync())).toEqual([0.5, -0.5]);
    tf.dispose([...ckpt.values()]);
    model.dispose();
  });

  describe('header validation', () => {
    const w = (shape: number[], bytes: number) => ({name: 'w', dtype: 'F32', shape, data: new Uint8Array(bytes)});
    const cases: Array<[string, () => Uint8Array, RegExp]> = [
      ['a byte count that is not shape x element size', () => writeSafetensors([w([3], 8)]),
       /^readMindSporeCheckpoint: 'w' \(F32, shape \[3\]\) needs 12 bytes of data, but its data_offsets hold 8\.$/],
      ['overlapping data', () => writeSafetensors([w([2], 8), {...w([2], 8), name: 'v'}], undefined,
          h => (h['v'] as {data_offsets: number[]}).data_offsets = [4, 12]),
       /invalid header: the data of 'v' \[4, 12\) overlaps that of 'w', which ends at 8/],
      ['a gap between tensors', () => writeSafetensors([w([1], 4)], undefined,
          h => (h['w'] as {data_offsets: number[]}).data_offsets = [2, 6]),
       /invalid header: no tensor holds data bytes \[0, 2\) \(before 'w'\)/],
      ['offsets past the data', () => writeSafetensors([w([1], 4)], undefined,
          h => (h['w'] as {data_offsets: number[], shape: number[]}).data_offsets = [0, 400]),
       /truncated safetensors file: its tensors need 400 bytes of data after the header, but only 4 follow it/],
      ['bytes after the last tensor', () => Buffer.concat([writeSafetensors([w([1], 4)]), Buffer.alloc(4)]),
       /invalid header: its tensors end at data byte 4, but 4 more bytes follow them/],
      ['an unknown dtype', () => writeSafetensors([{...w([1], 1), dtype: 'F8_E4M3'}]),
       /'w' has dtype "F8_E4M3", which is not one of BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64/],
      ['a negative dim', () => writeSafetensors([w([-1], 0)]),
       /'w' has shape \[-1\]; a shape is a list of at most 8 integers >= 0/],
      ['reversed offsets', () => writeSafetensors([w([0], 0)], undefined,
          h => (h['w'] as {data_offsets: number[]}).data_offsets = [4, 0]),
       /'w' has data_offsets \[4,0\]; they must be \[begin, end\] with 0 <= begin <= end/],
      ['an unknown entry field', () => writeSafetensors([w([1], 4)], undefined,
          h => (h['w'] as Record<string, unknown>)['dtpye'] = 'F32'),
       /the entry of 'w' has an unknown field 'dtpye'/],
      ['metadata that is not strings', () => writeSafetensors([w([1], 4)], {format: 'ms'},
          h => (h['__metadata__'] as Record<string, unknown>)['crc_num'] = 5),
       /'__metadata__' has 'crc_num' = 5, not a string/],
      ['a shape longer than rank 8 (before JSON.parse)', () => writeSafetensors([w(new Array(9).fill(1), 4)]),
       /invalid header: it has an array longer than 8 \(at character \d+\)/],
      ['deep nesting (before JSON.parse)', () => writeSafetensors([w([1], 4)], undefined,
          h => (h['__metadata__'] = {x: [[[1]]]})),
       /invalid header: it nests deeper than a header does/],
      ['far too many fields inside entries (before JSON.parse)', () => writeSafetensors([w([1], 4)], undefined,
          h => { h['__metadata__'] = Object.fromEntries(Array.from({length: 100}, (_, i) => [`k${i}`, 'v'])); }),
       /invalid header: it has 103 fields inside its 2 entries, far more than a header has/],
      ['a header that is not JSON', () => {
         const st = writeSafetensors([w([1], 4)]);
         st[st.indexOf('"dtype"') + 7] = 0x3d;  // '"dtype":' becomes '"dtype"='
         return st;
       }, /invalid header: it is not JSON/],
      ['Int4 declared on an F32 tensor', () => writeSafetensors([w([1], 4)], {w: 'Int4'}),
       /'__metadata__' gives 'w' \(F32\) the type 'Int4'/],
      ['a type name MindSpore never writes', () => writeSafetensors([{...w([1], 1), dtype: 'I8'}], {w: 'Int2'}),
       /'__metadata__' gives 'w' \(I8\) the type 'Int2'/],
      ['a scalar Int4', () => writeSafetensors([{...w([], 1), dtype: 'I8'}], {w: 'Int4'}),
       /'w' \(Int4\) is a scalar; packed Int4 needs at least one dimension to unpack along/],
    ];
    for (const [name, make, msg] of cases) {
      it(`rejects ${name}`, () => {
        expectThrowsNoLeak(() => readMindSporeCheckpoint(make()), msg);
      });
    }
  });
});

describe('saveMindSporeCheckpoint with format safetensors', () => {
  function header(bytes: Uint8Array): {n: number, json: string} {
    const b = Buffer.from(bytes);
    const n = Number(b.readBigUInt64LE(0));
    return {n, json: b.toString('utf8', 8, 8 + n)};
  }

  it('writes MindSpore\'s layout: dtype-then-name order, {"format": "ms"}, 8-byte padding', () => {
    const t = {
      'b.w': tf.tensor2d([1, 2, 3, 4], [2, 2]),
      'a.mask': tf.tensor1d([true, false], 'bool'),
      'c.ids': tf.tensor1d([7, -1], 'int32'),
      'a.w': tf.scalar(0.5),
    };
    const bytes = saveMindSporeCheckpoint(t, {format: 'safetensors'});
    const {n, json} = header(bytes);
    expect(n % 8).toBe(0);
    expect(json.trimEnd()).toBe(
        '{"__metadata__":{"format":"ms"},' +
        '"a.w":{"dtype":"F32","shape":[],"data_offsets":[0,4]},' +
        '"b.w":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]},' +
        '"c.ids":{"dtype":"I32","shape":[2],"data_offsets":[20,28]},' +
        '"a.mask":{"dtype":"BOOL","shape":[2],"data_offsets":[28,30]}}');
    expect(json.slice(json.trimEnd().length)).toMatch(/^ *$/);
    expect(Buffer.from(bytes.subarray(8 + n))).toEqual(Buffer.concat([
      Buffer.from(f32([0.5, 1, 2, 3, 4])), Buffer.from(i32([7, -1])), Buffer.from([1, 0])]));
    expect(readRows(bytes)).toEqual([
      ['a.mask', 'bool', [2], [1, 0]], ['a.w', 'float32', [], [0.5]],
      ['b.w', 'float32', [2, 2], [1, 2, 3, 4]], ['c.ids', 'int32', [2], [7, -1]]]);
    tf.dispose(Object.values(t));
  });

  it('adds crc_num as MindSpore does (crcCheck), which the reader verifies', () => {
    const t = {b: tf.tensor1d([1, 2]), a: tf.tensor1d([3], 'int32')};
    const bytes = saveMindSporeCheckpoint(t, {format: 'safetensors', crcCheck: true});
    let crc = crc32(Buffer.from('a'));
    crc = crc32(Buffer.from(i32([3])), crc);
    crc = crc32(Buffer.from('b'), crc);
    crc = crc32(Buffer.from(f32([1, 2])), crc);
    expect(header(bytes).json).toContain(`"__metadata__":{"format":"ms","crc_num":"${crc}"}`);
    expect(readRows(bytes, {verifyCrc: true}).map(r => r[0])).toEqual(['a', 'b']);
    tf.dispose(Object.values(t));
  });

  it('round-trips tensors named like MindSpore\'s metadata keys, and rejects \'__metadata__\'', () => {
    const t = {format: tf.tensor1d([1]), crc_num: tf.tensor1d([2], 'int32')};
    const bytes = saveMindSporeCheckpoint(t, {format: 'safetensors', crcCheck: true});
    expect(readRows(bytes, {verifyCrc: true})).toEqual(
        [['crc_num', 'int32', [1], [2]], ['format', 'float32', [1], [1]]]);
    expect(() => saveMindSporeCheckpoint({__metadata__: t.format}, {format: 'safetensors'})).toThrow(
        /^saveMindSporeCheckpoint: 'tensors' cannot hold a tensor named '__metadata__' with format 'safetensors', where that key holds the file's metadata\.$/);
    tf.dispose(Object.values(t));
  });

  it('rejects string tensors and sliceBytes', () => {
    const s = tf.scalar('lr');
    const w = tf.tensor1d([1]);
    expect(() => saveMindSporeCheckpoint({s}, {format: 'safetensors'})).toThrow(
        /saveMindSporeCheckpoint: 'tensors\['s'\]' must be a float32, int32 or bool tensor with format 'safetensors' \(safetensors has no strings\), but got a string tensor of shape \[\]\./);
    expect(() => saveMindSporeCheckpoint({w}, {format: 'safetensors', sliceBytes: 4})).toThrow(
        /saveMindSporeCheckpoint: 'options\.sliceBytes' applies to format 'ckpt' only \(safetensors stores each tensor whole\), but got sliceBytes 4 with format 'safetensors'\./);
    expect(() => saveMindSporeCheckpoint({w}, {format: 'onnx' as 'ckpt'})).toThrow(
        /saveMindSporeCheckpoint: 'options\.format' must be one of 'ckpt', 'safetensors', but got 'onnx'\./);
    tf.dispose([s, w]);
  });
});
