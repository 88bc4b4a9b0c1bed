// SPDX-License-Identifier: Apache-2.0
/**
 * The ONNX Runtime cases: each pairs a one-node ONNX model with our op on
 * the same data and parameters (bench/cases.ts PARAMS, the NCHW layout).
 * Forward only: ORT's inference builds have no backward kernels.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as ms from '../../src';
import {PARAMS} from '../cases';
import * as models from './models';
import {HostData, OrtModel} from './models';

/** The host data as tensors of the current backend. */
export interface BenchTensors {
  x: tf.Tensor4D;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  runningMean: tf.Tensor1D;
  runningVar: tf.Tensor1D;
  /** x viewed as rows of the last axis (LayerNorm). */
  rows: tf.Tensor2D;
  gammaRow: tf.Tensor1D;
  betaRow: tf.Tensor1D;
  gammaRms: tf.Tensor1D;
  /** Per-channel gamma/beta constant within each of PARAMS.groups groups (GroupNormalization-18). */
  gammaByGroup: tf.Tensor1D;
  betaByGroup: tf.Tensor1D;
}

export interface OrtCase {
  /** The op name of the main bench (bench/cases.ts OPS). */
  op: string;
  model: OrtModel;
  /** Our op on the current backend; every output it returns is timed. */
  ours: (t: BenchTensors) => tf.Tensor[];
  /** Ours' outputs as the model's outputs, in its order (for the agreement check). */
  asModelOutputs: (outs: tf.Tensor[]) => tf.Tensor[];
}

/** Seeded like bench/cases.ts, so the data equals the main bench's. */
export function makeHostData(shape: [number, number, number, number]): HostData {
  const [, channels, , width] = shape;
  const row = width > 1 ? width : channels;
  const uniform = (s: number[], lo: number, hi: number, seed: number) =>
      tf.tidy(() => tf.randomUniform(s, lo, hi, 'float32', seed).dataSync() as Float32Array);
  return {
    shape,
    x: uniform(shape, -2, 2, 1),
    gamma: uniform([channels], 0.5, 1.5, 3),
    beta: uniform([channels], -0.5, 0.5, 4),
    runningMean: uniform([channels], -0.1, 0.1, 5),
    runningVar: uniform([channels], 0.5, 1.5, 6),
    gammaRow: uniform([row], 0.5, 1.5, 7),
    betaRow: uniform([row], -0.5, 0.5, 8),
    gammaRms: uniform([row], 0.5, 1.5, 9),
  };
}

/** Each group's first channel's value, for the group's every channel. */
function byGroup(v: Float32Array, groups: number): Float32Array {
  const per = v.length / groups;
  return v.map((_, c) => v[Math.floor(c / per) * per]);
}

function groupValues(v: Float32Array, groups: number): Float32Array {
  const per = v.length / groups;
  return Float32Array.from({length: groups}, (_, g) => v[g * per]);
}

/** Tensors of the host data on the current backend; the caller disposes them. */
export function toTensors(d: HostData): BenchTensors {
  const {groups} = PARAMS;
  const row = d.gammaRow.length;
  const vec = (v: Float32Array) => tf.tensor1d(v);
  return {
    x: tf.tensor4d(d.x, d.shape as [number, number, number, number]),
    gamma: vec(d.gamma),
    beta: vec(d.beta),
    runningMean: vec(d.runningMean),
    runningVar: vec(d.runningVar),
    rows: tf.tensor2d(d.x, [d.x.length / row, row]),
    gammaRow: vec(d.gammaRow),
    betaRow: vec(d.betaRow),
    gammaRms: vec(d.gammaRms),
    gammaByGroup: vec(byGroup(d.gamma, groups)),
    betaByGroup: vec(byGroup(d.beta, groups)),
  };
}

const same = (outs: tf.Tensor[]) => outs;

/**
 * Every case for the host data; `include(op)` selects ops. BatchNorm uses the
 * biased running-variance update, which is what ONNX specifies.
 */
export function buildOrtCases(d: HostData, include: (op: string) => boolean): OrtCase[] {
  const {l2Axis, l2Eps, lrn, groups, eps, momentum, layerNormEps, rmsNormEps} = PARAMS;
  const row = d.gammaRow.length;
  const cases: OrtCase[] = [];
  const add = (op: string, model: () => OrtModel, ours: OrtCase['ours'],
               asModelOutputs: OrtCase['asModelOutputs'] = same) => {
    if (include(op)) {
      cases.push({op, model: model(), ours, asModelOutputs});
    }
  };
  // ONNX has no epsilon: on this data sum(x^2) >> l2Eps, so MindSpore's clamp is inactive.
  add('l2Normalize', () => models.lpNormalization(d, l2Axis),
      t => [ms.l2Normalize(t.x, l2Axis, l2Eps)]);
  add('lrn', () => models.lrn(d, lrn),
      t => [ms.lrn(t.x, lrn.depthRadius, lrn.bias, lrn.alpha, lrn.beta)]);
  add('groupNorm', () => models.groupNormalization21(d, groups, eps),
      t => [ms.groupNorm(t.x, groups, t.gamma, t.beta, eps)]);
  add('groupNorm', () => models.groupNormalization18(d, groups, eps, groupValues(d.gamma, groups),
                                                     groupValues(d.beta, groups)),
      t => [ms.groupNorm(t.x, groups, t.gammaByGroup, t.betaByGroup, eps)]);
  add('groupNorm', () => models.groupNormViaInstanceNorm(d, groups, eps),
      t => [ms.groupNorm(t.x, groups, t.gamma, t.beta, eps)]);
  add('batchNorm infer NCHW', () => models.batchNormInference(d, eps),
      t => [ms.batchNorm(t.x, t.runningMean, t.runningVar, t.gamma, t.beta, {eps}).y]);
  add('batchNorm train NCHW', () => models.batchNormTraining(d, eps, momentum), t => {
    const r = ms.batchNorm(t.x, t.runningMean, t.runningVar, t.gamma, t.beta,
                           {training: true, momentum, eps, varianceUpdate: 'biased'});
    return [r.y, r.runningMean, r.runningVar];
  });
  // ORT returns the inverse standard deviation where ours returns the variance.
  add('layerNorm', () => models.layerNormalization(d, row, layerNormEps), t => {
    const r = ms.layerNorm(t.rows, t.gammaRow, t.betaRow,
                           {beginNormAxis: -1, beginParamsAxis: -1, epsilon: layerNormEps});
    return [r.y, r.mean, r.variance];
  }, ([y, mean, variance]) => [y, mean, tf.rsqrt(tf.add(variance, layerNormEps))]);
  add('instanceNorm', () => models.instanceNormalization(d, eps),
      t => [ms.instanceNorm(t.x, t.gamma, t.beta, eps)]);
  add('rmsNorm', () => models.rmsNormalization(d, row, rmsNormEps), t => {
    const r = ms.rmsNorm(t.rows, t.gammaRms, rmsNormEps);
    return [r.y, r.rstd];
  }, ([y]) => [y]);
  return cases;
}
