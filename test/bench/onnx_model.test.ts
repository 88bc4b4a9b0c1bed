// SPDX-License-Identifier: Apache-2.0
/**
 * The bench's ONNX encoder (bench/ort/), without ONNX Runtime: known protobuf
 * bytes, and a model decoded back by a small independent reader here.
 */
import {encodeModel, FLOAT, INT64, irVersionFor} from '../../bench/ort/onnx_model';
import {ProtoWriter} from '../../bench/ort/protobuf';

interface Field {
  field: number;
  wire: number;
  /** Varints as bigint (int64 two's complement kept), fixed32 as its 4 bytes, LEN as bytes. */
  value: bigint|Uint8Array;
}

/** Every top-level field of a protobuf message, in order. */
function decode(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = BigInt(0);
    for (let shift = BigInt(0);; shift += BigInt(7)) {
      const b = bytes[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        return v;
      }
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const wire = key & 7;
    const field = key >> 3;
    if (wire === 0) {
      fields.push({field, wire, value: varint()});
    } else if (wire === 2) {
      const n = Number(varint());
      fields.push({field, wire, value: bytes.subarray(at, at + n)});
      at += n;
    } else if (wire === 5) {
      fields.push({field, wire, value: bytes.subarray(at, at + 4)});
      at += 4;
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
  }
  return fields;
}

const all = (fs: Field[], n: number) => fs.filter(f => f.field === n).map(f => f.value);
const one = (fs: Field[], n: number) => {
  const v = all(fs, n);
  expect(v.length).toBe(1);
  return v[0];
};
const msg = (v: bigint|Uint8Array) => decode(v as Uint8Array);
const text = (v: bigint|Uint8Array) => new TextDecoder().decode(v as Uint8Array);
const int64 = (v: bigint|Uint8Array) => Number(BigInt.asIntN(64, v as bigint));
const float32 = (v: bigint|Uint8Array) =>
    new DataView((v as Uint8Array).slice().buffer).getFloat32(0, true);
const packed = (v: bigint|Uint8Array) => decodePacked(v as Uint8Array);

function decodePacked(bytes: Uint8Array): number[] {
  // A packed field is a run of bare varints: prefix each with a field-1 varint key to reuse decode().
  const keyed: number[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) {
      keyed.push(0x08, ...bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  return decode(Uint8Array.from(keyed)).map(f => int64(f.value));
}

describe('bench ProtoWriter', () => {
  it('writes the protobuf encoding of the documentation example (field 1 = 150)', () => {
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
  });

  it('writes negative int64 varints as ten bytes of two\'s complement', () => {
    expect(Array.from(new ProtoWriter().int(3, -1).finish()))
        .toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('writes floats as little-endian fixed32 and strings length-delimited', () => {
    expect(Array.from(new ProtoWriter().float(2, 1).string(1, 'ab').finish()))
        .toEqual([0x15, 0x00, 0x00, 0x80, 0x3f, 0x0a, 0x02, 0x61, 0x62]);
  });

  it('writes varints above 2^32 exactly', () => {
    const [f] = decode(new ProtoWriter().int(1, 2 ** 40 + 5).finish());
    expect(f.value).toBe(BigInt(2) ** BigInt(40) + BigInt(5));
  });
});

describe('bench encodeModel', () => {
  const model = encodeModel({
    opset: 21,
    graph: {
      name: 'g',
      nodes: [
        {opType: 'Reshape', inputs: ['x', 'shape'], outputs: ['r']},
        {opType: 'LayerNormalization', inputs: ['r', 'gamma'], outputs: ['y'],
         attributes: {axis: {int: -1}, epsilon: {float: 0.5}, perm: {ints: [0, 2, 300]}}},
      ],
      inputs: [{name: 'x', shape: [2, 3, 4]}],
      outputs: [{name: 'y', shape: [6, 4]}],
      initializers: [
        {name: 'shape', dims: [2], dataType: INT64, values: [-1, 4]},
        {name: 'gamma', dims: [4], dataType: FLOAT, values: [1, 2, 3, 0.25]},
      ],
    },
  });
  const top = decode(model);
  const graph = msg(one(top, 7));

  it('holds the IR version and the default-domain opset', () => {
    expect(int64(one(top, 1))).toBe(10);
    expect(irVersionFor(21)).toBe(10);
    expect(irVersionFor(17)).toBe(8);
    const opset = msg(one(top, 8));
    expect(text(one(opset, 1))).toBe('');
    expect(int64(one(opset, 2))).toBe(21);
  });

  it('holds the nodes in order with their inputs, outputs and op types', () => {
    const nodes = all(graph, 1).map(msg);
    expect(nodes.map(n => text(one(n, 4)))).toEqual(['Reshape', 'LayerNormalization']);
    expect(all(nodes[0], 1).map(text)).toEqual(['x', 'shape']);
    expect(all(nodes[1], 2).map(text)).toEqual(['y']);
  });

  it('holds int (negative), float and ints attributes with their types', () => {
    const attrs = all(msg(all(graph, 1)[1]), 5).map(msg);
    const byName = Object.fromEntries(attrs.map(a => [text(one(a, 1)), a]));
    expect(int64(one(byName.axis, 3))).toBe(-1);
    expect(int64(one(byName.axis, 20))).toBe(2);  // INT
    expect(float32(one(byName.epsilon, 2))).toBe(0.5);
    expect(int64(one(byName.epsilon, 20))).toBe(1);  // FLOAT
    expect(packed(one(byName.perm, 8))).toEqual([0, 2, 300]);
    expect(int64(one(byName.perm, 20))).toBe(7);  // INTS
  });

  it('holds initializers as raw little-endian data with dims and type', () => {
    const [shape, gamma] = all(graph, 5).map(msg);
    expect(text(one(shape, 8))).toBe('shape');
    expect(int64(one(shape, 2))).toBe(7);
    expect(packed(one(shape, 1))).toEqual([2]);
    const raw = one(shape, 9) as Uint8Array;
    const view = new DataView(raw.slice().buffer);
    expect([view.getBigInt64(0, true), view.getBigInt64(8, true)]).toEqual([-BigInt(1), BigInt(4)]);
    expect(int64(one(gamma, 2))).toBe(1);
    expect(Array.from(new Float32Array((one(gamma, 9) as Uint8Array).slice().buffer)))
        .toEqual([1, 2, 3, 0.25]);
  });

  it('holds float32 inputs and outputs with fixed shapes', () => {
    const shapeOf = (valueInfo: Field[]) => {
      const tensorType = msg(one(msg(one(valueInfo, 2)), 1));
      expect(int64(one(tensorType, 1))).toBe(1);  // FLOAT
      return all(msg(one(tensorType, 2)), 1).map(d => int64(one(msg(d), 1)));
    };
    const [input] = all(graph, 11).map(msg);
    const [output] = all(graph, 12).map(msg);
    expect(text(one(input, 1))).toBe('x');
    expect(shapeOf(input)).toEqual([2, 3, 4]);
    expect(text(one(output, 1))).toBe('y');
    expect(shapeOf(output)).toEqual([6, 4]);
  });

  it('rejects an initializer whose value count does not match its dims', () => {
    expect(() => encodeModel({
      opset: 17,
      graph: {name: 'g', nodes: [], inputs: [], outputs: [],
              initializers: [{name: 'w', dims: [3], dataType: FLOAT, values: [1, 2]}]},
    })).toThrow(/'w' has 2 values for dims \[3\]/);
  });
});
