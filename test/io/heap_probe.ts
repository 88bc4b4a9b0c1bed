// SPDX-License-Identifier: Apache-2.0
/**
 * Run in a child Node with a small heap (see limits.test.ts): builds hostile
 * checkpoints of a few MB that used to exhaust the heap before any check,
 * reads each, and prints what happened as one JSON line per file.
 */
import '@tensorflow/tfjs-backend-cpu';

import {readMindSporeCheckpoint} from '../../src/io';
import {key, lengthDelimited, tensorValue, utf8} from './wire';

function varintDims(count: number): Buffer {
  const b = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) {
    b[2 * i] = 0x08;  // field 1 (dims), varint
    b[2 * i + 1] = 0x01;
  }
  return b;
}

function build(kind: string): Uint8Array {
  if (kind === 'repeated-dims') {
    // 4,000,000 repeated dims fields: 8 MB
    const tensor = Buffer.concat([varintDims(4000000), Buffer.from(lengthDelimited(2, utf8('Float32'))),
                                  Buffer.from(lengthDelimited(3, [0, 0, 0, 0]))]);
    const value = Buffer.concat([Buffer.from(lengthDelimited(1, utf8('w'))),
                                 Buffer.from([...key(2, 2)]), lengthPrefix(tensor.length), tensor]);
    return Buffer.concat([Buffer.from(key(1, 2)), lengthPrefix(value.length), value]);
  }
  if (kind === 'tiny-slices') {
    const one = Buffer.from(tensorValue('w', {dims: [1], type: 'Bool', content: []}));
    return Buffer.concat(new Array(600000).fill(one));
  }
  // distinct tiny parameters
  const parts: Buffer[] = [];
  for (let i = 0; i < 600000; i++) {
    parts.push(Buffer.from(tensorValue(i.toString(36), {dims: [0], type: 'Bool', content: []})));
  }
  return Buffer.concat(parts);
}

function lengthPrefix(n: number): Buffer {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

for (const kind of ['repeated-dims', 'tiny-slices', 'distinct-parameters']) {
  const bytes = build(kind);
  const before = process.memoryUsage().heapUsed;
  let message = 'no error';
  try {
    readMindSporeCheckpoint(bytes);
  } catch (e) {
    message = (e as Error).message;
  }
  const heapMB = Math.round((process.memoryUsage().heapUsed - before) / 1e5) / 10;
  console.log(JSON.stringify({kind, bytes: bytes.length, message, heapMB}));
}
