// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsLayerNormGrad, MsLayerNormGradAttrs, MsLayerNormGradInputs} from '../../kernel_names';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {layerNormLayout, paramOffset, sliceMean, sliceVariance} from './LayerNorm';

// Backward of y = xhat * gamma + beta, xhat = (x - mean) * rstd, per block of M
// values (statistics recomputed from x in float64), with g = dy * gamma:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) + dmean / M + dvar * 2 (x - mean) / M
//   dgamma = sum(dy * xhat), dbeta = sum(dy), summed over the axes gamma lacks.
// The last two terms of dx are the paths through the mean and variance outputs.
export function msLayerNormGrad(
    args: CpuKernelArgs<MsLayerNormGradInputs, MsLayerNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy, dmean, dvariance}, backend, attrs} = args;
  const {beginNormAxis, beginParamsAxis, epsilon} = attrs;
  const xVals = valuesOf(backend, x!);
  const gVals = valuesOf(backend, gamma!);
  const dyVals = valuesOf(backend, dy!);
  const dmVals = dmean == null ? null : valuesOf(backend, dmean);
  const dvVals = dvariance == null ? null : valuesOf(backend, dvariance);
  const layout = layerNormLayout(x!.shape, beginNormAxis, beginParamsAxis);
  const {outer, blockSize, chunk, chunks, paramSize} = layout;
  const dx = new Float32Array(xVals.length);
  const dgamma = new Float64Array(paramSize);
  const dbeta = new Float64Array(paramSize);
  const sums = new Float64Array(2);
  for (let o = 0; o < outer && chunks > 0; o++) {
    const start = o * blockSize;
    const mu = sliceMean(xVals, start, blockSize);
    const rstd = 1 / Math.sqrt(sliceVariance(xVals, start, blockSize, mu) + epsilon);
    const p0 = paramOffset(layout, o);
    chunkSums(xVals, dyVals, gVals, start, chunks, chunk, mu, rstd, p0, dgamma, dbeta, sums);
    const meanG = sums[0] / blockSize;
    const meanGXhat = sums[1] / blockSize;
    const viaMean = dmVals == null ? 0 : dmVals[o] / blockSize;
    const viaVar = dvVals == null ? 0 : 2 * dvVals[o] / blockSize;
    for (let c = 0, e = start; c < chunks; c++, e += chunk) {
      dxChunk(xVals, dyVals, gVals, dx, e, chunk, mu, rstd, p0, meanG, meanGXhat, viaMean, viaVar);
    }
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', dx),
    backend.makeTensorInfo(gamma!.shape, 'float32', Float32Array.from(dgamma)),
    backend.makeTensorInfo(gamma!.shape, 'float32', Float32Array.from(dbeta)),
  ];
}

/**
 * One block: sums[0] = sum(dy * gamma), sums[1] = sum(dy * gamma * xhat), and
 * dgamma[p] += dy * xhat, dbeta[p] += dy; two elements per iteration.
 */
function chunkSums(
    x: TypedArray, dy: TypedArray, gamma: TypedArray, start: number, chunks: number,
    chunk: number, mean: number, rstd: number, p0: number, dgamma: Float64Array,
    dbeta: Float64Array, sums: Float64Array): void {
  let g0 = 0;
  let g1 = 0;
  let h0 = 0;
  let h1 = 0;
  for (let c = 0, e = start; c < chunks; c++, e += chunk) {
    let i = 0;
    for (; i + 2 <= chunk; i += 2) {
      const a = e + i;
      const p = p0 + i;
      const d0 = dy[a];
      const d1 = dy[a + 1];
      const xhat0 = (x[a] - mean) * rstd;
      const xhat1 = (x[a + 1] - mean) * rstd;
      const t0 = d0 * gamma[p];
      const t1 = d1 * gamma[p + 1];
      g0 += t0;
      g1 += t1;
      h0 += t0 * xhat0;
      h1 += t1 * xhat1;
      dgamma[p] += d0 * xhat0;
      dgamma[p + 1] += d1 * xhat1;
      dbeta[p] += d0;
      dbeta[p + 1] += d1;
    }
    for (; i < chunk; i++) {
      const d = dy[e + i];
      const xhat = (x[e + i] - mean) * rstd;
      const t = d * gamma[p0 + i];
      g0 += t;
      h0 += t * xhat;
      dgamma[p0 + i] += d * xhat;
      dbeta[p0 + i] += d;
    }
  }
  sums[0] = g0 + g1;
  sums[1] = h0 + h1;
}

/** dx over one chunk of a block (the formula above); unrolled. */
function dxChunk(
    x: TypedArray, dy: TypedArray, gamma: TypedArray, dx: Float32Array, e: number, n: number,
    mean: number, rstd: number, p0: number, meanG: number, meanGXhat: number, viaMean: number,
    viaVar: number): void {
  const k = rstd * meanGXhat;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const c0 = x[e + i] - mean;
    const c1 = x[e + i + 1] - mean;
    dx[e + i] = rstd * (dy[e + i] * gamma[p0 + i] - meanG - c0 * k) + viaMean + viaVar * c0;
    dx[e + i + 1] =
        rstd * (dy[e + i + 1] * gamma[p0 + i + 1] - meanG - c1 * k) + viaMean + viaVar * c1;
  }
  for (; i < n; i++) {
    const centered = x[e + i] - mean;
    dx[e + i] =
        rstd * (dy[e + i] * gamma[p0 + i] - meanG - centered * k) + viaMean + viaVar * centered;
  }
}

export const MsLayerNormGradConfig = cpuKernelConfig(MsLayerNormGrad, msLayerNormGrad);
