// SPDX-License-Identifier: Apache-2.0
/**
 * Benchmark cases, backend-agnostic: the same definitions run on the CPU
 * backend in Node (bench/run.ts) and on WebGL in Chromium (bench/webgl_page.ts).
 *
 * Every case times three things on the same data:
 *   ours      the registered kernel through the public op,
 *   composed  the same math from tf ops (bench/composed.ts),
 *   built-in  tfjs's own op where one exists, on its native layout (NHWC),
 *             and for LRN also with the two transposes an NCHW user needs.
 * Backward cases time tf.grads (forward + backward) with a fixed dy.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as ms from '../src';
import * as composed from './composed';
import {Output} from './timing';

export type SizeName = 'small'|'medium'|'large';
export type Pass = 'forward'|'backward';

/** NCHW shapes; large is 16M elements. */
export const SIZES: {[K in SizeName]: [number, number, number, number]} = {
  small: [2, 64, 1, 1],
  medium: [8, 64, 32, 32],
  large: [16, 64, 128, 128],
};

export interface Variant {
  label: string;
  run: () => Output;
}

export interface BenchCase {
  op: string;
  pass: Pass;
  ours: Variant;
  composed: Variant;
  builtins: Variant[];
  /** Input arrays of the memory-floor pass: x (forward) or x and dy (backward). */
  floorReads: number;
}

export interface CaseSet {
  cases: BenchCase[];
  dispose(): void;
}

/** Parameters shared by every backend. */
export const PARAMS = {
  l2Axis: 1,
  l2Eps: 1e-4,
  // MindSpore nn.LRN's defaults.
  lrn: {depthRadius: 5, bias: 1, alpha: 1, beta: 0.5},
  groups: 8,
  eps: 1e-5,
  momentum: 0.1,
  layerNormEps: 1e-7,
  rmsNormEps: 1e-6,
};

/** Every op name, for filtering. */
export const OPS = [
  'l2Normalize', 'lrn', 'groupNorm', 'batchNorm infer NCHW', 'batchNorm infer NHWC',
  'batchNorm train NCHW', 'batchNorm train NHWC', 'layerNorm', 'instanceNorm', 'rmsNorm',
];

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

type GradFn = (...args: tf.Tensor[]) => tf.Tensor;

/** The tensors of a result record (ours and the composed ops return {y, ...}). */
function all(result: object): tf.Tensor[] {
  return Object.values(result) as tf.Tensor[];
}

/** Forward + backward through tfjs autodiff, gradients for every argument. */
function grads(f: GradFn, args: tf.Tensor[], dy: tf.Tensor): () => Output {
  const g = tf.grads(f);
  return () => g(args, dy);
}

/**
 * Builds the cases for one NCHW shape. `include(op)` selects ops. The caller
 * must call dispose() when done (the inputs of the large size are 64 MB each).
 */
export function buildCases(
    shape: [number, number, number, number], include: (op: string) => boolean = () => true):
    CaseSet {
  const held: tf.Tensor[] = [];
  const disposers: Array<() => void> = [];
  const hold = <T extends tf.Tensor>(t: T): T => {
    held.push(t);
    return t;
  };
  const [, channels, , width] = shape;
  const {lrn, eps, momentum, groups, layerNormEps, rmsNormEps, l2Axis, l2Eps} = PARAMS;

  const x = hold(tf.randomUniform(shape, -2, 2, 'float32', 1));
  const dy = hold(tf.randomUniform(shape, -1, 1, 'float32', 2));
  const xNhwc = hold(tf.transpose(x, NCHW_TO_NHWC));
  const dyNhwc = hold(tf.transpose(dy, NCHW_TO_NHWC));
  const vec = (n: number, lo: number, hi: number, seed: number) =>
      hold(tf.randomUniform([n], lo, hi, 'float32', seed) as tf.Tensor1D);
  const gamma = vec(channels, 0.5, 1.5, 3);
  const beta = vec(channels, -0.5, 0.5, 4);
  const runningMean = vec(channels, -0.1, 0.1, 5);
  const runningVar = vec(channels, 0.5, 1.5, 6);

  const cases: BenchCase[] = [];
  const add = (op: string, forward: Omit<BenchCase, 'op'|'pass'|'floorReads'>,
               backward: Omit<BenchCase, 'op'|'pass'|'floorReads'>) => {
    if (include(op)) {
      cases.push({op, pass: 'forward', floorReads: 1, ...forward});
      cases.push({op, pass: 'backward', floorReads: 2, ...backward});
    }
  };

  // L2Normalize over the channel axis.
  {
    const ours: GradFn = a => ms.l2Normalize(a, l2Axis, l2Eps);
    const comp: GradFn = a => composed.l2Normalize(a, l2Axis, l2Eps);
    add('l2Normalize',
        {ours: {label: 'ours', run: () => ours(x)}, composed: {label: 'composed', run: () => comp(x)},
         builtins: []},
        {ours: {label: 'ours', run: grads(ours, [x], dy)},
         composed: {label: 'composed', run: grads(comp, [x], dy)}, builtins: []});
  }

  // LRN, depth radius 5.
  {
    const {depthRadius: r, bias, alpha, beta: b} = lrn;
    const ours: GradFn = a => ms.lrn(a as tf.Tensor4D, r, bias, alpha, b);
    const comp: GradFn = a => composed.lrn(a as tf.Tensor4D, r, bias, alpha, b);
    const builtin: GradFn = a => tf.localResponseNormalization(a as tf.Tensor4D, r, bias, alpha, b);
    const transposed: GradFn = a => tf.transpose(
        tf.localResponseNormalization(tf.transpose(a as tf.Tensor4D, NCHW_TO_NHWC), r, bias, alpha,
            b),
        NHWC_TO_NCHW);
    // tfjs 4.22's own webgpu LRN takes ~12 s per call at the medium size on
    // SwiftShader (measured; its backward longer still): timed at the small size only.
    const slowBuiltin = tf.getBackend() === 'webgpu' && shape[0] * shape[2] * shape[3] > 64;
    add('lrn',
        {ours: {label: 'ours', run: () => ours(x)}, composed: {label: 'composed', run: () => comp(x)},
         builtins: slowBuiltin ? [] : [
           {label: 'tf.lrn (NHWC data)', run: () => builtin(xNhwc)},
           {label: 'tf.lrn + 2 transposes', run: () => transposed(x)},
         ]},
        {ours: {label: 'ours', run: grads(ours, [x], dy)},
         composed: {label: 'composed', run: grads(comp, [x], dy)},
         builtins: slowBuiltin ? [] : [
           {label: 'tf.lrn (NHWC data)', run: grads(builtin, [xNhwc], dyNhwc)},
           {label: 'tf.lrn + 2 transposes', run: grads(transposed, [x], dy)},
         ]});
  }

  // GroupNorm, 8 groups.
  {
    const ours: GradFn = (a, g, b) => ms.groupNorm(a, groups, g, b, eps);
    const comp: GradFn = (a, g, b) => composed.groupNorm(a, groups, g, b, eps);
    add('groupNorm',
        {ours: {label: 'ours', run: () => ours(x, gamma, beta)},
         composed: {label: 'composed', run: () => comp(x, gamma, beta)}, builtins: []},
        {ours: {label: 'ours', run: grads(ours, [x, gamma, beta], dy)},
         composed: {label: 'composed', run: grads(comp, [x, gamma, beta], dy)}, builtins: []});
  }

  // BatchNorm, inference and training, on NCHW data and on NHWC data.
  for (const format of ['NCHW', 'NHWC'] as const) {
    const data = format === 'NCHW' ? x : xNhwc;
    const grad = format === 'NCHW' ? dy : dyNhwc;
    const axis = format === 'NCHW' ? 1 : 3;
    const infer: GradFn = (a, g, b) =>
        ms.batchNorm(a, runningMean, runningVar, g, b, {eps, dataFormat: format}).y;
    const inferComp: GradFn = (a, g, b) =>
        composed.batchNormInference(a, runningMean, runningVar, g, b, eps, axis);
    const inferBuiltin: GradFn = (a, g, b) => tf.batchNorm(a, runningMean, runningVar, b, g, eps);
    const builtinLabel = 'tf.batchNorm (NHWC data)';
    add(`batchNorm infer ${format}`,
        {ours: {label: 'ours', run: () => infer(data, gamma, beta)},
         composed: {label: 'composed', run: () => inferComp(data, gamma, beta)},
         builtins: [{label: builtinLabel, run: () => inferBuiltin(xNhwc, gamma, beta)}]},
        {ours: {label: 'ours', run: grads(infer, [data, gamma, beta], grad)},
         composed: {label: 'composed', run: grads(inferComp, [data, gamma, beta], grad)},
         builtins: [{label: builtinLabel, run: grads(inferBuiltin, [xNhwc, gamma, beta], dyNhwc)}]});

    const trainOpts: ms.BatchNormOptions = {training: true, momentum, eps, dataFormat: format};
    const train = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        ms.batchNorm(a, runningMean, runningVar, g, b, trainOpts);
    const trainComp = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        composed.batchNormTraining(a, runningMean, runningVar, g, b, eps, momentum, axis);
    // What a tfjs user writes: tf.moments for the statistics, tf.batchNorm to apply them.
    const trainBuiltin = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const {mean, variance} = tf.moments(a, [0, 1, 2]);
      const y = tf.batchNorm(a, mean, variance, b, g, eps);
      return {y, ...composed.updateRunning(runningMean, runningVar, mean, variance, momentum,
                                           a.size / channels)};
    };
    const trainLabel = 'tf.moments + tf.batchNorm (NHWC)';
    add(`batchNorm train ${format}`,
        {ours: {label: 'ours', run: () => all(train(data, gamma, beta))},
         composed: {label: 'composed', run: () => all(trainComp(data, gamma, beta))},
         builtins: [{label: trainLabel, run: () => all(trainBuiltin(xNhwc, gamma, beta))}]},
        {ours: {label: 'ours', run: grads((a, g, b) => train(a, g, b).y, [data, gamma, beta], grad)},
         composed: {label: 'composed',
                    run: grads((a, g, b) => trainComp(a, g, b).y, [data, gamma, beta], grad)},
         builtins: [{label: trainLabel,
                     run: grads((a, g, b) => trainBuiltin(a, g, b).y, [xNhwc, gamma, beta],
                                dyNhwc)}]});
  }

  // LayerNorm over the last axis (MindSpore nn.LayerNorm's default), gamma/beta of that
  // length. The data is viewed as rows of W (of C for the small size, whose W is 1).
  if (include('layerNorm')) {
    const row = width > 1 ? width : channels;
    const x2 = hold(tf.reshape(x, [-1, row]));
    const dy2 = hold(tf.reshape(dy, [-1, row]));
    const gammaRow = vec(row, 0.5, 1.5, 7);
    const betaRow = vec(row, -0.5, 0.5, 8);
    const opts: ms.LayerNormOptions = {beginNormAxis: -1, beginParamsAxis: -1, epsilon: layerNormEps};
    const ours: GradFn = (a, g, b) => ms.layerNorm(a, g, b, opts).y;
    const comp: GradFn = (a, g, b) => composed.layerNorm(a, g, b, -1, -1, layerNormEps).y;
    const layer = tfl.layers.layerNormalization({axis: -1, epsilon: layerNormEps});
    layer.build(x2.shape);
    const layerVars = layer.trainableWeights.map(w => w.read() as tf.Variable);
    const xVar = hold(tf.variable(x2, true, undefined, 'float32'));
    const label = 'tfl.layerNormalization';
    add('layerNorm',
        {ours: {label: 'ours', run: () => all(ms.layerNorm(x2, gammaRow, betaRow, opts))},
         composed: {label: 'composed',
                    run: () => all(composed.layerNorm(x2, gammaRow, betaRow, -1, -1, layerNormEps))},
         builtins: [{label, run: () => layer.apply(x2) as tf.Tensor}]},
        {ours: {label: 'ours', run: grads(ours, [x2, gammaRow, betaRow], dy2)},
         composed: {label: 'composed', run: grads(comp, [x2, gammaRow, betaRow], dy2)},
         // The layer's gamma/beta are variables: differentiate sum(y * dy).
         builtins: [{label: `${label} (variableGrads)`,
                     run: () => tf.variableGrads(
                         () => tf.sum(tf.mul(layer.apply(xVar) as tf.Tensor, dy2)),
                         [xVar, ...layerVars])}]});
    // A layer only applied eagerly has no inbound nodes, so layer.dispose() refuses; free its weights.
    disposers.push(() => layerVars.forEach(v => v.dispose()));
  }

  // InstanceNorm.
  {
    const ours: GradFn = (a, g, b) => ms.instanceNorm(a, g, b, eps);
    const comp: GradFn = (a, g, b) => composed.instanceNorm(a, g, b, eps);
    add('instanceNorm',
        {ours: {label: 'ours', run: () => ours(x, gamma, beta)},
         composed: {label: 'composed', run: () => comp(x, gamma, beta)}, builtins: []},
        {ours: {label: 'ours', run: grads(ours, [x, gamma, beta], dy)},
         composed: {label: 'composed', run: grads(comp, [x, gamma, beta], dy)}, builtins: []});
  }

  // RMSNorm over the last axis (mindformers' LlamaRMSNorm), rows of W (of C for the small size).
  if (include('rmsNorm')) {
    const row = width > 1 ? width : channels;
    const x2 = hold(tf.reshape(x, [-1, row]));
    const dy2 = hold(tf.reshape(dy, [-1, row]));
    const gammaRow = vec(row, 0.5, 1.5, 9);
    const ours: GradFn = (a, g) => ms.rmsNorm(a, g, rmsNormEps).y;
    const comp: GradFn = (a, g) => composed.rmsNorm(a, g, rmsNormEps).y;
    add('rmsNorm',
        {ours: {label: 'ours', run: () => all(ms.rmsNorm(x2, gammaRow, rmsNormEps))},
         composed: {label: 'composed', run: () => all(composed.rmsNorm(x2, gammaRow, rmsNormEps))},
         builtins: []},
        {ours: {label: 'ours', run: grads(ours, [x2, gammaRow], dy2)},
         composed: {label: 'composed', run: grads(comp, [x2, gammaRow], dy2)}, builtins: []});
  }

  return {
    cases,
    dispose: () => {
      disposers.splice(0).forEach(d => d());
      tf.dispose(held);
    },
  };
}
