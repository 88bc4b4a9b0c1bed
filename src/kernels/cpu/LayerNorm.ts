// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsLayerNorm, MsLayerNormAttrs, MsLayerNormInputs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {rangeSquaredDeviation, rangeSum} from './row_math';

/**
 * How a layer norm walks x: `outer` blocks of `blockSize` values normalized
 * together. Inside a block, gamma/beta repeat every `chunk` values (bpa >= bna:
 * `chunks` repetitions of the whole parameter block) or the block reads a
 * `chunk`-long window of them (bpa < bna: one chunk, at paramOffset(o)).
 */
export interface LayerNormLayout {
  outer: number;
  blockSize: number;
  chunk: number;
  chunks: number;
  paramSize: number;
}

export function layerNormLayout(
    shape: number[], beginNormAxis: number, beginParamsAxis: number): LayerNormLayout {
  const outer = sizeOfDims(shape, 0, beginNormAxis);
  const blockSize = sizeOfDims(shape, beginNormAxis);
  const paramSize = sizeOfDims(shape, beginParamsAxis);
  const chunk = Math.min(blockSize, paramSize);
  const chunks = chunk === 0 ? 0 : blockSize / chunk;
  return {outer, blockSize, chunk, chunks, paramSize};
}

/** Where block o's parameter window starts (always 0 when bpa >= bna). */
export function paramOffset(layout: LayerNormLayout, o: number): number {
  return (o * layout.blockSize) % layout.paramSize;
}

/** Mean of vals[start, start + size), accumulated in float64. */
export function sliceMean(vals: TypedArray, start: number, size: number): number {
  return rangeSum(vals, start, start + size) / size;
}

/** Biased variance around a known mean: the stable second pass (not E[x^2] - mean^2). */
export function sliceVariance(vals: TypedArray, start: number, size: number, mean: number):
    number {
  return rangeSquaredDeviation(vals, start, start + size, mean) / size;
}

// MindSpore LayerNorm: y = (x - mean) / sqrt(var + eps) * gamma + beta, with mean
// and biased var over axes [bna, rank) and gamma/beta over x.shape[bpa:].
// Outputs [y, mean, variance] like mindspore.ops.LayerNorm.
export function msLayerNorm(
    args: CpuKernelArgs<MsLayerNormInputs, MsLayerNormAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, beta}, backend, attrs} = args;
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs;
  const xVals = valuesOf(backend, x!);
  const gVals = valuesOf(backend, gamma!);
  const bVals = valuesOf(backend, beta!);
  const layout = layerNormLayout(x!.shape, beginNormAxis, beginParamsAxis);
  const {outer, blockSize, chunk, chunks} = layout;
  const y = new Float32Array(xVals.length);
  const mean = new Float32Array(outer);
  const variance = new Float32Array(outer);
  for (let o = 0; o < outer; o++) {
    const start = o * blockSize;
    const mu = sliceMean(xVals, start, blockSize);
    const v = sliceVariance(xVals, start, blockSize, mu);
    mean[o] = mu;
    variance[o] = v;
    const rstd = 1 / Math.sqrt(v + epsilon);
    const p0 = chunks === 0 ? 0 : paramOffset(layout, o);
    for (let c = 0, e = start; c < chunks; c++, e += chunk) {
      normalizeChunk(xVals, y, e, chunk, mu, rstd, gVals, bVals, p0);
    }
  }
  const statsShape = x!.shape.map((d, i) => (i < beginNormAxis ? d : 1));
  return [
    backend.makeTensorInfo(x!.shape, 'float32', y),
    backend.makeTensorInfo(statsShape, 'float32', mean),
    backend.makeTensorInfo(statsShape, 'float32', variance),
  ];
}

/** y[e + i] = (x[e + i] - mean) * rstd * gamma[p0 + i] + beta[p0 + i], i < n; unrolled. */
function normalizeChunk(
    x: TypedArray, y: Float32Array, e: number, n: number, mean: number, rstd: number,
    gamma: TypedArray, beta: TypedArray, p0: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = e + i;
    const p = p0 + i;
    y[a] = (x[a] - mean) * rstd * gamma[p] + beta[p];
    y[a + 1] = (x[a + 1] - mean) * rstd * gamma[p + 1] + beta[p + 1];
    y[a + 2] = (x[a + 2] - mean) * rstd * gamma[p + 2] + beta[p + 2];
    y[a + 3] = (x[a + 3] - mean) * rstd * gamma[p + 3] + beta[p + 3];
  }
  for (; i < n; i++) {
    y[e + i] = (x[e + i] - mean) * rstd * gamma[p0 + i] + beta[p0 + i];
  }
}

export const MsLayerNormConfig = cpuKernelConfig(MsLayerNorm, msLayerNorm);
