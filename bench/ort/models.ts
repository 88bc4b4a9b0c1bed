// SPDX-License-Identifier: Apache-2.0
/**
 * One-node ONNX models of the bench's ops, with MindSpore's parameters
 * (bench/cases.ts PARAMS) mapped onto ONNX's conventions. Parameters are
 * initializers, as in an exported model; x (and BatchNorm training's running
 * statistics, which ORT may update in place) are graph inputs.
 */
import {encodeModel, FLOAT, INT64, OnnxInitializer, OnnxNode, OnnxValue} from './onnx_model';

/** Host copies of the bench data (float32), shared by every model and backend. */
export interface HostData {
  shape: number[];
  x: Float32Array;
  /** Per channel. */
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
  /** LayerNorm over the last axis: gamma/beta of the row length. */
  gammaRow: Float32Array;
  betaRow: Float32Array;
  /** RMSNorm's gamma, of the row length. */
  gammaRms: Float32Array;
}

export interface OrtModel {
  /** What the row shows, e.g. 'LRN size=11 alpha=11 (opset 13)'. */
  label: string;
  bytes: Uint8Array;
  /** Graph inputs, in feed order, with the shape ORT sees. */
  inputs: Array<{name: string, shape: number[], data: Float32Array}>;
  outputs: string[];
}

const value = (name: string, shape: number[]): OnnxValue => ({name, shape});
const floats = (name: string, values: Float32Array, dims = [values.length]): OnnxInitializer =>
    ({name, dims, dataType: FLOAT, values});
const int64s = (name: string, values: number[]): OnnxInitializer =>
    ({name, dims: [values.length], dataType: INT64, values});

/** A model of one node (or a short chain) whose only float input is x. */
function model(label: string, opset: number, x: OnnxValue, data: Float32Array,
               nodes: OnnxNode[], outputs: OnnxValue[], initializers: OnnxInitializer[] = [],
               extraInputs: Array<{name: string, data: Float32Array}> = []): OrtModel {
  const inputs = [{...x, data}, ...extraInputs.map(e => ({name: e.name, shape: [e.data.length], data: e.data}))];
  const bytes = encodeModel({
    opset,
    graph: {
      name: label,
      nodes,
      inputs: inputs.map(i => value(i.name, i.shape)),
      outputs,
      initializers,
    },
  });
  return {label, bytes, inputs, outputs: outputs.map(o => o.name)};
}

/** L2Normalize over the channel axis. ONNX LpNormalization has no epsilon: x / ||x||_2. */
export function lpNormalization(d: HostData, axis: number): OrtModel {
  const x = value('x', d.shape);
  return model('LpNormalization p=2 (opset 17)', 17, x, d.x, [
    {opType: 'LpNormalization', inputs: ['x'], outputs: ['y'],
     attributes: {axis: {int: axis}, p: {int: 2}}},
  ], [value('y', d.shape)]);
}

/**
 * MindSpore's LRN(depth_radius r, alpha): window [c - r, c + r], alpha not
 * divided. ONNX's window is [c - floor((size-1)/2), c + ceil((size-1)/2)] and
 * it divides alpha by size: size = 2r + 1 and alpha * size give the same.
 */
export function lrn(d: HostData, p: {depthRadius: number, bias: number, alpha: number, beta: number}):
    OrtModel {
  const size = 2 * p.depthRadius + 1;
  return model(`LRN size=${size} alpha=${p.alpha}x${size} (opset 13)`, 17, value('x', d.shape), d.x, [
    {opType: 'LRN', inputs: ['x'], outputs: ['y'],
     attributes: {size: {int: size}, alpha: {float: p.alpha * size}, beta: {float: p.beta},
                  bias: {float: p.bias}}},
  ], [value('y', d.shape)]);
}

/** GroupNormalization-21: scale and bias per channel (MindSpore's gamma/beta). */
export function groupNormalization21(d: HostData, groups: number, eps: number): OrtModel {
  return model('GroupNormalization (opset 21)', 21, value('x', d.shape), d.x, [
    {opType: 'GroupNormalization', inputs: ['x', 'gamma', 'beta'], outputs: ['y'],
     attributes: {num_groups: {int: groups}, epsilon: {float: eps}}},
  ], [value('y', d.shape)], [floats('gamma', d.gamma), floats('beta', d.beta)]);
}

/**
 * GroupNormalization-18: scale and bias per GROUP (the opset-18 definition,
 * replaced in 21). Compared with ours on per-channel gamma/beta that are
 * constant within each group (`groupGamma`/`groupBeta` expanded).
 */
export function groupNormalization18(d: HostData, groups: number, eps: number,
                                     groupGamma: Float32Array, groupBeta: Float32Array): OrtModel {
  return model('GroupNormalization, scale per group (opset 18)', 18, value('x', d.shape), d.x, [
    {opType: 'GroupNormalization', inputs: ['x', 'gamma', 'beta'], outputs: ['y'],
     attributes: {num_groups: {int: groups}, epsilon: {float: eps}}},
  ], [value('y', d.shape)], [floats('gamma', groupGamma), floats('beta', groupBeta)]);
}

/**
 * GroupNorm as exporters write it for older opsets: reshape to
 * [N, groups, -1], InstanceNormalization (unit scale, zero bias), reshape
 * back, then the per-channel affine map.
 */
export function groupNormViaInstanceNorm(d: HostData, groups: number, eps: number): OrtModel {
  const [n, c] = d.shape;
  const perChannel = [c, ...d.shape.slice(2).map(() => 1)];
  return model('Reshape + InstanceNormalization + Mul + Add (opset 17)', 17, value('x', d.shape), d.x, [
    {opType: 'Reshape', inputs: ['x', 'grouped_shape'], outputs: ['xg']},
    {opType: 'InstanceNormalization', inputs: ['xg', 'ones', 'zeros'], outputs: ['yg'],
     attributes: {epsilon: {float: eps}}},
    {opType: 'Reshape', inputs: ['yg', 'x_shape'], outputs: ['yn']},
    {opType: 'Mul', inputs: ['yn', 'gamma'], outputs: ['ys']},
    {opType: 'Add', inputs: ['ys', 'beta'], outputs: ['y']},
  ], [value('y', d.shape)], [
    int64s('grouped_shape', [n, groups, -1]),
    int64s('x_shape', d.shape),
    floats('ones', new Float32Array(groups).fill(1)),
    floats('zeros', new Float32Array(groups)),
    floats('gamma', d.gamma, perChannel),
    floats('beta', d.beta, perChannel),
  ]);
}

/** BatchNormalization-15 with the moving statistics (training_mode 0). */
export function batchNormInference(d: HostData, eps: number): OrtModel {
  return model('BatchNormalization (opset 15)', 15, value('x', d.shape), d.x, [
    {opType: 'BatchNormalization', inputs: ['x', 'gamma', 'beta', 'mean', 'var'], outputs: ['y'],
     attributes: {epsilon: {float: eps}}},
  ], [value('y', d.shape)], [
    floats('gamma', d.gamma), floats('beta', d.beta), floats('mean', d.runningMean),
    floats('var', d.runningVar),
  ]);
}

/**
 * BatchNormalization-15, training_mode 1: batch statistics and the updated
 * running statistics. ONNX's momentum weighs the OLD value
 * (running * momentum + batch * (1 - momentum)), like MindSpore's layers and
 * unlike ops.batch_norm's: ONNX momentum = 1 - op momentum.
 */
export function batchNormTraining(d: HostData, eps: number, opMomentum: number): OrtModel {
  const c = d.gamma.length;
  return model('BatchNormalization training_mode=1 (opset 15)', 15, value('x', d.shape), d.x, [
    {opType: 'BatchNormalization', inputs: ['x', 'gamma', 'beta', 'input_mean', 'input_var'],
     outputs: ['y', 'running_mean', 'running_var'],
     attributes: {epsilon: {float: eps}, momentum: {float: 1 - opMomentum}, training_mode: {int: 1}}},
  ], [value('y', d.shape), value('running_mean', [c]), value('running_var', [c])],
  [floats('gamma', d.gamma), floats('beta', d.beta)],
  [{name: 'input_mean', data: d.runningMean}, {name: 'input_var', data: d.runningVar}]);
}

/**
 * LayerNormalization-17 over the last axis of x viewed as [rows, row], with
 * its Mean and InvStdDev outputs (ours returns mean and variance).
 */
export function layerNormalization(d: HostData, row: number, eps: number): OrtModel {
  const rows = d.x.length / row;
  return model('LayerNormalization (opset 17)', 17, value('x', [rows, row]), d.x, [
    {opType: 'LayerNormalization', inputs: ['x', 'gamma', 'beta'], outputs: ['y', 'mean', 'inv_std'],
     attributes: {axis: {int: -1}, epsilon: {float: eps}}},
  ], [value('y', [rows, row]), value('mean', [rows, 1]), value('inv_std', [rows, 1])],
  [floats('gamma', d.gammaRow), floats('beta', d.betaRow)]);
}

export function instanceNormalization(d: HostData, eps: number): OrtModel {
  return model('InstanceNormalization (opset 6)', 17, value('x', d.shape), d.x, [
    {opType: 'InstanceNormalization', inputs: ['x', 'gamma', 'beta'], outputs: ['y'],
     attributes: {epsilon: {float: eps}}},
  ], [value('y', d.shape)], [floats('gamma', d.gamma), floats('beta', d.beta)]);
}

/** RMSNormalization-23 over the last axis of x viewed as [rows, row] (Y only; ours adds rstd). */
export function rmsNormalization(d: HostData, row: number, eps: number): OrtModel {
  const rows = d.x.length / row;
  return model('RMSNormalization (opset 23)', 23, value('x', [rows, row]), d.x, [
    {opType: 'RMSNormalization', inputs: ['x', 'gamma'], outputs: ['y'],
     attributes: {axis: {int: -1}, epsilon: {float: eps}}},
  ], [value('y', [rows, row])], [floats('gamma', d.gammaRms)]);
}
