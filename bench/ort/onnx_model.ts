// SPDX-License-Identifier: Apache-2.0
/**
 * An ONNX ModelProto encoder for small graphs built in code: nodes with
 * int/float/ints attributes, float32 inputs/outputs of fixed shape, and
 * float32 or int64 initializers. Field numbers are those of onnx/onnx.proto3.
 */
import {littleEndian, ProtoWriter, split64} from './protobuf';

/** TensorProto.DataType values used here. */
export const FLOAT = 1;
export const INT64 = 7;

/** AttributeProto.AttributeType values used here. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

export type AttributeValue = {float: number}|{int: number}|{ints: number[]};

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxValue {
  name: string;
  /** Float32 tensors only (what the benchmark feeds and fetches). */
  shape: number[];
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  dataType: typeof FLOAT|typeof INT64;
  values: number[]|Float32Array;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  initializers?: OnnxInitializer[];
}

export interface OnnxModelSpec {
  graph: OnnxGraph;
  /** The default-domain ('ai.onnx') opset the model imports. */
  opset: number;
  /** IR version; defaults to the one that introduced the opset (8 up to opset 18, 10 for 21). */
  irVersion?: number;
}

/** The IR version released with each opset range (onnx/docs/Versioning.md). */
export function irVersionFor(opset: number): number {
  if (opset <= 15) {
    return 8;
  }
  return opset <= 18 ? 8 : opset <= 20 ? 9 : opset === 21 ? 10 : 11;
}

// Field numbers, onnx.proto3.
const MODEL = {irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8};
const OPSET = {domain: 1, version: 2};
const GRAPH = {node: 1, name: 2, initializer: 5, input: 11, output: 12};
const NODE = {input: 1, output: 2, name: 3, opType: 4, attribute: 5};
const ATTRIBUTE = {name: 1, f: 2, i: 3, ints: 8, type: 20};
const TENSOR = {dims: 1, dataType: 2, name: 8, rawData: 9};
const VALUE_INFO = {name: 1, type: 2};
const TYPE = {tensorType: 1};
const TYPE_TENSOR = {elemType: 1, shape: 2};
const SHAPE = {dim: 1};
const DIMENSION = {dimValue: 1};

export function encodeModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(MODEL.irVersion, spec.irVersion ?? irVersionFor(spec.opset));
  w.string(MODEL.producerName, 'tfjs-mindspore-norm bench');
  w.string(MODEL.producerVersion, '0');
  w.message(MODEL.graph, g => writeGraph(g, spec.graph));
  w.message(MODEL.opsetImport, o => o.string(OPSET.domain, '').int(OPSET.version, spec.opset));
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  graph.nodes.forEach((node, i) => w.message(GRAPH.node, n => writeNode(n, node, `${node.opType}_${i}`)));
  w.string(GRAPH.name, graph.name);
  (graph.initializers ?? []).forEach(t => w.message(GRAPH.initializer, m => writeTensor(m, t)));
  graph.inputs.forEach(v => w.message(GRAPH.input, m => writeValueInfo(m, v)));
  graph.outputs.forEach(v => w.message(GRAPH.output, m => writeValueInfo(m, v)));
}

function writeNode(w: ProtoWriter, node: OnnxNode, name: string): void {
  node.inputs.forEach(i => w.string(NODE.input, i));
  node.outputs.forEach(o => w.string(NODE.output, o));
  w.string(NODE.name, name);
  w.string(NODE.opType, node.opType);
  for (const [attrName, value] of Object.entries(node.attributes ?? {})) {
    w.message(NODE.attribute, a => {
      a.string(ATTRIBUTE.name, attrName);
      if ('float' in value) {
        a.float(ATTRIBUTE.f, value.float).int(ATTRIBUTE.type, ATTR_FLOAT);
      } else if ('int' in value) {
        a.int(ATTRIBUTE.i, value.int).int(ATTRIBUTE.type, ATTR_INT);
      } else {
        a.packedInts(ATTRIBUTE.ints, value.ints).int(ATTRIBUTE.type, ATTR_INTS);
      }
    });
  }
}

/** raw_data holds the values little-endian, as onnx.proto requires. */
function writeTensor(w: ProtoWriter, t: OnnxInitializer): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.values.length !== count) {
    throw new Error(`onnx: initializer '${t.name}' has ${t.values.length} values for dims [${t.dims}]`);
  }
  const bytes = t.dataType === FLOAT ?
      littleEndian(new Uint8Array(Float32Array.from(t.values).buffer), 4) :
      int64Bytes(t.values);
  w.packedInts(TENSOR.dims, t.dims);
  w.int(TENSOR.dataType, t.dataType);
  w.string(TENSOR.name, t.name);
  w.bytes(TENSOR.rawData, bytes);
}

function writeValueInfo(w: ProtoWriter, v: OnnxValue): void {
  w.string(VALUE_INFO.name, v.name);
  w.message(VALUE_INFO.type, t => t.message(TYPE.tensorType, tt => {
    tt.int(TYPE_TENSOR.elemType, FLOAT);
    tt.message(TYPE_TENSOR.shape, s => v.shape.forEach(
        d => s.message(SHAPE.dim, dim => dim.int(DIMENSION.dimValue, d))));
  }));
}

function int64Bytes(values: ArrayLike<number>): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) {
    const [lo, hi] = split64(values[i]);
    view.setUint32(8 * i, lo, true);
    view.setUint32(8 * i + 4, hi, true);
  }
  return new Uint8Array(view.buffer);
}
