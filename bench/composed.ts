// SPDX-License-Identifier: Apache-2.0
/**
 * The same math as each kernel, composed from tf ops: what a user would write
 * without this package. Written once here and used as the baseline on every
 * backend (forward directly, backward through tfjs autodiff).
 */
import * as tf from '@tensorflow/tfjs-core';

/** [1, C, 1, ...] so a per-channel [C] vector broadcasts over NCHW data of `rank`. */
function perChannel(v: tf.Tensor, rank: number, channelAxis = 1): tf.Tensor {
  const shape = new Array<number>(rank).fill(1);
  shape[channelAxis] = v.size;
  return tf.reshape(v, shape);
}

/** L2Normalize: x / sqrt(max(sum(x^2 over axis), eps)). */
export function l2Normalize(x: tf.Tensor, axis: number, epsilon: number): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), epsilon)));
}

/**
 * LRN on NCHW: the channel window sum is 2r+1 shifted slices of the
 * zero-padded squares, added at once (in chunks of at most MAX_ADDN_INPUTS).
 * A radius beyond C - 1 sees no more channels, so it is clipped there (as
 * the kernels do).
 */
export function lrn(x: tf.Tensor4D, depthRadius: number, bias: number, alpha: number,
                    beta: number): tf.Tensor4D {
  const channels = x.shape[1];
  const r = Math.max(0, Math.min(depthRadius, channels - 1));
  const padded = tf.pad(tf.square(x), [[0, 0], [r, r], [0, 0], [0, 0]]);
  const terms: tf.Tensor[] = [];
  for (let k = 0; k <= 2 * r; k++) {
    terms.push(tf.slice(padded, [0, k, 0, 0], [-1, channels, -1, -1]));
  }
  return tf.mul(x, tf.pow(tf.add(bias, tf.mul(alpha, addAll(terms))), -beta));
}

/**
 * tfjs's webgpu AddN binds each input as a storage buffer, and a shader gets
 * at most 8 (the output included; SwiftShader's limit, measured: 11 inputs
 * fail validation and read back zeros), so sums of more terms go in chunks.
 */
const MAX_ADDN_INPUTS = 7;

function addAll(terms: tf.Tensor[]): tf.Tensor {
  let level = terms;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += MAX_ADDN_INPUTS) {
      const chunk = level.slice(i, i + MAX_ADDN_INPUTS);
      next.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
    }
    level = next;
  }
  return level[0];
}

/** GroupNorm on (N, C, *): moments per (sample, group), then per-channel gamma/beta. */
export function groupNorm(
    x: tf.Tensor, numGroups: number, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const grouped = tf.reshape(x, [x.shape[0], numGroups, -1]);
  const {mean, variance} = tf.moments(grouped, 2, true);
  const xhat = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, eps))), x.shape);
  return tf.add(tf.mul(xhat, perChannel(gamma, x.rank)), perChannel(beta, x.rank));
}

/** (x - mean) / sqrt(var + eps) * gamma + beta with per-channel [C] statistics. */
export function batchNormInference(
    x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor,
    eps: number, channelAxis: number): tf.Tensor {
  const c = (v: tf.Tensor) => perChannel(v, x.rank, channelAxis);
  return tf.add(
      tf.mul(tf.div(tf.sub(x, c(mean)), tf.sqrt(tf.add(c(variance), eps))), c(gamma)), c(beta));
}

export interface TrainingResult {
  y: tf.Tensor;
  runningMean: tf.Tensor;
  runningVar: tf.Tensor;
}

/**
 * Running-statistics update of ops.batch_norm: (1 - m) * running + m * batch,
 * with the unbiased batch variance (var * M / (M - 1), M = count). As the
 * kernels: with one value per channel (0/0) the running variance stays, and
 * with none both statistics stay.
 */
export function updateRunning(
    runningMean: tf.Tensor, runningVar: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor,
    momentum: number, count: number): {runningMean: tf.Tensor, runningVar: tf.Tensor} {
  const blend = (running: tf.Tensor, batch: tf.Tensor) =>
      tf.add(tf.mul(running, 1 - momentum), tf.mul(batch, momentum));
  return {
    runningMean: count > 0 ? blend(runningMean, mean) : tf.clone(runningMean),
    runningVar: count > 1 ? blend(runningVar, tf.mul(variance, count / (count - 1))) :
                            tf.clone(runningVar),
  };
}

/**
 * BatchNorm training: batch moments over every axis but the channel one,
 * normalization with the biased variance, and the running-statistics update.
 */
export function batchNormTraining(
    x: tf.Tensor, runningMean: tf.Tensor, runningVar: tf.Tensor, gamma: tf.Tensor,
    beta: tf.Tensor, eps: number, momentum: number, channelAxis: number): TrainingResult {
  const axes = x.shape.map((_, i) => i).filter(i => i !== channelAxis);
  const {mean, variance} = tf.moments(x, axes);
  const y = batchNormInference(x, mean, variance, gamma, beta, eps, channelAxis);
  const count = x.size / x.shape[channelAxis];
  return {y, ...updateRunning(runningMean, runningVar, mean, variance, momentum, count)};
}

/**
 * LayerNorm over axes [beginNormAxis, rank), gamma/beta of shape
 * x.shape[beginParamsAxis:] (-1 counts from the end, as MindSpore's).
 */
export function layerNorm(
    x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, beginNormAxis: number,
    beginParamsAxis: number,
    epsilon: number): {y: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor} {
  const axis = (a: number) => (a < 0 ? a + x.rank : a);
  const axes = x.shape.map((_, i) => i).filter(i => i >= axis(beginNormAxis));
  const paramShape = x.shape.slice(axis(beginParamsAxis));
  const {mean, variance} = tf.moments(x, axes, true);
  const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
  const y = tf.add(tf.mul(xhat, tf.reshape(gamma, paramShape)), tf.reshape(beta, paramShape));
  return {y, mean, variance};
}

/** InstanceNorm on (N, C, *): moments per (sample, channel), per-channel gamma/beta. */
export function instanceNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number):
    tf.Tensor {
  const axes = x.shape.map((_, i) => i).filter(i => i >= 2);
  const {mean, variance} = tf.moments(x, axes, true);
  const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(xhat, perChannel(gamma, x.rank)), perChannel(beta, x.rank));
}

/** RMSNorm over the last axis: x * rsqrt(mean(x^2) + epsilon) * gamma. */
export function rmsNorm(x: tf.Tensor, gamma: tf.Tensor, epsilon: number):
    {y: tf.Tensor, rstd: tf.Tensor} {
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), epsilon));
  return {y: tf.mul(tf.mul(x, rstd), gamma), rstd};
}
