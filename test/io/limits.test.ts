// SPDX-License-Identifier: Apache-2.0
/**
 * Hostile and odd inputs (issue 15): limits checked while decoding, paths
 * that are not regular files, names from Object.prototype, absurd dims,
 * detached and shared buffers, and option objects with misspelled keys.
 * Each ends in a clear Error or a correct result, leaking nothing.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs-core';

import {readMindSporeCheckpoint, saveMindSporeCheckpoint} from '../../src';
import {bundleForNode, bundleScratch, runNode} from '../child_node';
import {expectNoLeak, expectThrowsNoLeak} from '../test_util';
import {scratchDir} from './scratch_dir';
import {writeSafetensors} from './safetensors_writer';
import {checkpoint, f32, i32, tensorValue} from './wire';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const good = () => checkpoint([tensorValue('w', {dims: [2], type: 'Float32', content: f32([1, -2])})]);

function readRows(source: Parameters<typeof readMindSporeCheckpoint>[0]):
    Array<[string, string, number[], unknown[]]> {
  return expectNoLeak(() => {
    const map = readMindSporeCheckpoint(source, {skipOptimizerState: false});
    const rows = [...map].map(([tag, t]): [string, string, number[], unknown[]] =>
        [tag, t.dtype, t.shape, Array.from(t.dataSync())]);
    tf.dispose([...map.values()]);
    return rows;
  });
}

describe('readMindSporeCheckpoint limits', () => {
  it('fails with a catchable Error, in a 256 MB heap, on files that used to exhaust it', async () => {
    // A child Node with the heap of the report (--max-old-space-size=256); the
    // old decoder aborted the process ("Reached heap limit") on the first file.
    const scratch = bundleScratch('heap-probe');
    let out: string;
    try {
      const probe = await bundleForNode(path.join(__dirname, 'heap_probe.ts'), path.join(scratch, 'probe.js'));
      out = runNode(probe, ['--max-old-space-size=256'], {timeout: 120000});
    } finally {
      fs.rmSync(scratch, {recursive: true, force: true});
    }
    const results = out.trim().split('\n').map(line => JSON.parse(line));
    expect(results.map(r => [r.kind, r.bytes > 8e6])).toEqual([
      ['repeated-dims', true], ['tiny-slices', true], ['distinct-parameters', true]]);
    expect(results[0].message).toBe(
        "readMindSporeCheckpoint: 'w' (value #0) has more than 8 dims, MindSpore's largest " +
        'rank: the file is corrupt.');
    expect(results[1].message).toBe(
        "readMindSporeCheckpoint: 'w' has more than 65536 slices (MindSpore writes one per " +
        '512 MiB): the file is corrupt.');
    expect(results[2].message).toMatch(
        /^readMindSporeCheckpoint: the file holds more than 262144 parameters \(value #262144 at byte \d+ starts one more\), beyond any real checkpoint/);
  }, 150000);

  it('accepts rank 8 and rejects rank 9 (packed dims too)', () => {
    const content = f32([7]);
    expect(readRows(checkpoint([tensorValue('r8', {dims: [1, 1, 1, 1, 1, 1, 1, 1], type: 'Float32', content})])))
        .toEqual([['r8', 'float32', [1, 1, 1, 1, 1, 1, 1, 1], [7]]]);
    expectThrowsNoLeak(
        () => readMindSporeCheckpoint(checkpoint([tensorValue('r9', {dims: new Array(9).fill(1), type: 'Float32', content, packed: true})])),
        /'r9' \(value #0\) has more than 8 dims, MindSpore's largest rank/);
  });

  it('rejects an empty tensor whose other dims multiply past 2^53, and reads a reasonable one', () => {
    expectThrowsNoLeak(
        () => readMindSporeCheckpoint(checkpoint([tensorValue('e', {dims: [0, 2 ** 30, 2 ** 30], type: 'Float32', content: []})])),
        /^readMindSporeCheckpoint: 'e' \(Float32\) has dims \[0,1073741824,1073741824\], which describe more than 2\^53 elements: the file is corrupt\.$/);
    expect(readRows(checkpoint([tensorValue('e', {dims: [0, 3, 4], type: 'Float32', content: []})])))
        .toEqual([['e', 'float32', [0, 3, 4], []]]);
  });

  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`treats the tensor_type '${name}' as unknown (not Object.prototype's)`, () => {
      expectThrowsNoLeak(
          () => readMindSporeCheckpoint(checkpoint([tensorValue('p', {dims: [1], type: name, content: f32([1])})])),
          new RegExp(`^readMindSporeCheckpoint: 'p' has tensor_type '${name}', which is not one of Float16, `));
      const st = writeSafetensors([{name: 'p', dtype: name, shape: [1], data: Buffer.alloc(4)}]);
      expectThrowsNoLeak(() => readMindSporeCheckpoint(st),
          new RegExp(`'p' has dtype "${name}", which is not one of BOOL, U8, I8`));
    });
  }

  it('reads tensors named after Object.prototype properties, in both formats', () => {
    const names = ['__proto__', 'constructor', 'toString'];
    const ckpt = checkpoint(names.map((n, i) => tensorValue(n, {dims: [1], type: 'Int32', content: i32([i])})));
    expect(readRows(ckpt)).toEqual(names.map((n, i) => [n, 'int32', [1], [i]]));
    const st = writeSafetensors([], {format: 'ms', toString: 'Int4'}, header => {
      names.forEach((n, i) => Object.defineProperty(header, n, {
        value: {dtype: 'I32', shape: [1], data_offsets: [4 * i, 4 * i + 4]}, enumerable: true}));
    });
    const withData = Buffer.concat([st, Buffer.from(Int32Array.from([0, 1, 2]).buffer)]);
    // toString is declared Int4 but holds I32: an error naming the type, never a misread
    expectThrowsNoLeak(() => readMindSporeCheckpoint(withData),
        /'__metadata__' gives 'toString' \(I32\) the type 'Int4'; the only such type MindSpore writes is 'Int4' on an I8 tensor/);
    const plain = writeSafetensors([], {format: 'ms'}, header => {
      names.forEach((n, i) => Object.defineProperty(header, n, {
        value: {dtype: 'I32', shape: [1], data_offsets: [4 * i, 4 * i + 4]}, enumerable: true}));
    });
    expect(readRows(Buffer.concat([plain, Buffer.from(Int32Array.from([0, 1, 2]).buffer)])))
        .toEqual([['__proto__', 'int32', [1], [0]], ['constructor', 'int32', [1], [1]],
                  ['toString', 'int32', [1], [2]]]);
  });
});

describe('readMindSporeCheckpoint sources', () => {
  const inScratch = scratchDir('ms-ckpt-src-');

  it('rejects a FIFO at once instead of blocking', () => {
    const fifo = inScratch('pipe.ckpt');
    execFileSync('mkfifo', [fifo]);
    expectThrowsNoLeak(() => readMindSporeCheckpoint(fifo),
        /^readMindSporeCheckpoint: 'source' must be the path of a regular file, but '.*pipe\.ckpt' is a FIFO \(named pipe\)\.$/);
  });

  it('rejects /dev/zero (a character device) and a directory', () => {
    expectThrowsNoLeak(() => readMindSporeCheckpoint('/dev/zero'),
        /'source' must be the path of a regular file, but '\/dev\/zero' is a character device\./);
    expectThrowsNoLeak(() => readMindSporeCheckpoint(inScratch()),
        /'source' must be the path of a regular file, but '.*' is a directory\./);
  });

  it('rejects a file above maxBytes and reads it when maxBytes allows', () => {
    const file = inScratch('small.ckpt');
    fs.writeFileSync(file, good());
    const size = good().length;
    expectThrowsNoLeak(() => readMindSporeCheckpoint(file, {maxBytes: size - 1}),
        new RegExp(`^readMindSporeCheckpoint: '.*small\\.ckpt' is ${size} bytes, more than options\\.maxBytes \\(${size - 1}\\); pass a larger maxBytes to read it\\.$`));
    const map = readMindSporeCheckpoint(file, {maxBytes: size});
    expect(map.get('w')!.shape).toEqual([2]);
    tf.dispose([...map.values()]);
    expectThrowsNoLeak(() => readMindSporeCheckpoint(file, {maxBytes: 0}),
        /'options\.maxBytes' must be an integer >= 1, but got 0\./);
  });

  it('rejects a detached ArrayBuffer (and a view on one) with a clear message', () => {
    const buffer = good().slice().buffer;
    const view = new Uint8Array(buffer);
    structuredClone(buffer, {transfer: [buffer]});
    const msg = /^readMindSporeCheckpoint: 'source' is a detached ArrayBuffer \(its memory was transferred elsewhere, e\.g\. to a worker or by structuredClone\): pass a buffer that still holds the file's bytes\.$/;
    expectThrowsNoLeak(() => readMindSporeCheckpoint(buffer), msg);
    expectThrowsNoLeak(() => readMindSporeCheckpoint(view), msg);
  });

  it('reads a SharedArrayBuffer and a view on one', () => {
    const bytes = good();
    const shared = new SharedArrayBuffer(bytes.length + 3);
    new Uint8Array(shared).set(bytes, 3);
    expect(readRows(new Uint8Array(shared, 3))).toEqual([['w', 'float32', [2], [1, -2]]]);
    const exact = new SharedArrayBuffer(bytes.length);
    new Uint8Array(exact).set(bytes);
    expect(readRows(exact as unknown as ArrayBuffer)).toEqual([['w', 'float32', [2], [1, -2]]]);
  });

  it('names the class of an object given as source', () => {
    expectThrowsNoLeak(() => readMindSporeCheckpoint(new Map() as unknown as Uint8Array),
        /'source' must be a Uint8Array, an ArrayBuffer or \(in Node\) a file path, but got a Map\./);
  });
});

describe('option objects', () => {
  it('reject misspelled reader options and suggest the right key', () => {
    expectThrowsNoLeak(
        () => readMindSporeCheckpoint(good(), {verifycrc: true} as unknown as {}),
        /^readMindSporeCheckpoint: 'options' has an unknown key 'verifycrc': its keys must be among 'skipOptimizerState', 'filter', 'onSkip', 'verifyCrc', 'maxBytes', but got 'verifycrc'; did you mean 'verifyCrc'\?$/);
    expectThrowsNoLeak(
        () => readMindSporeCheckpoint(good(), {skip_optimizer_state: false} as unknown as {}),
        /unknown key 'skip_optimizer_state'.*did you mean 'skipOptimizerState'/);
    expectThrowsNoLeak(() => readMindSporeCheckpoint(good(), {fliter: () => true} as unknown as {}),
        /unknown key 'fliter'.*did you mean 'filter'\?/);
    expectThrowsNoLeak(() => readMindSporeCheckpoint(good(), {zzz: 1} as unknown as {}),
        /unknown key 'zzz': its keys must be among .*, but got 'zzz'\.$/);
  });

  it('reject misspelled writer options and suggest the right key', () => {
    const w = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    expect(() => saveMindSporeCheckpoint({w}, {slicebytes: 4} as unknown as {})).toThrow(
        /^saveMindSporeCheckpoint: 'options' has an unknown key 'slicebytes': its keys must be among 'format', 'sliceBytes', 'crcCheck', but got 'slicebytes'; did you mean 'sliceBytes'\?$/);
    expect(() => saveMindSporeCheckpoint({w}, {crc_check: true} as unknown as {})).toThrow(
        /unknown key 'crc_check'.*did you mean 'crcCheck'/);
    expect(() => saveMindSporeCheckpoint({w}, {formt: 'ckpt'} as unknown as {})).toThrow(
        /unknown key 'formt'.*did you mean 'format'\?/);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });
});
