import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {MsLayerNormGrad, MsLayerNormGradAttrs, MsLayerNormGradInputs} from '../../kernel_names';
import {valuesOf} from './cpu_util';
import {layerNormLayout, paramOffset, sliceMean, sliceVariance} from './LayerNorm';

// Backward of y = xhat * gamma + beta, xhat = (x - mean) * rstd, per block of M
// values (statistics recomputed from x in float64), with g = dy * gamma:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) + dmean / M + dvar * 2 (x - mean) / M
//   dgamma = sum(dy * xhat), dbeta = sum(dy), summed over the axes gamma lacks.
// The last two terms of dx are the paths through the mean and variance outputs.
export function msLayerNormGrad(args: {
  inputs: MsLayerNormGradInputs,
  backend: MathBackendCPU,
  attrs: MsLayerNormGradAttrs,
}): TensorInfo[] {
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
  for (let o = 0; o < outer && chunks > 0; o++) {
    const start = o * blockSize;
    const mu = sliceMean(xVals, start, blockSize);
    const rstd = 1 / Math.sqrt(sliceVariance(xVals, start, blockSize, mu) + epsilon);
    const p0 = paramOffset(layout, o);
    let sumG = 0;
    let sumGXhat = 0;
    let e = start;
    for (let c = 0; c < chunks; c++) {
      for (let i = 0; i < chunk; i++, e++) {
        const d = dyVals[e];
        const xhat = (xVals[e] - mu) * rstd;
        const g = d * gVals[p0 + i];
        sumG += g;
        sumGXhat += g * xhat;
        dgamma[p0 + i] += d * xhat;
        dbeta[p0 + i] += d;
      }
    }
    const meanG = sumG / blockSize;
    const meanGXhat = sumGXhat / blockSize;
    const viaMean = dmVals == null ? 0 : dmVals[o] / blockSize;
    const viaVar = dvVals == null ? 0 : 2 * dvVals[o] / blockSize;
    e = start;
    for (let c = 0; c < chunks; c++) {
      for (let i = 0; i < chunk; i++, e++) {
        const centered = xVals[e] - mu;
        const g = dyVals[e] * gVals[p0 + i];
        dx[e] = rstd * (g - meanG - centered * rstd * meanGXhat) + viaMean + viaVar * centered;
      }
    }
  }
  return [
    backend.makeTensorInfo(x!.shape, 'float32', dx),
    backend.makeTensorInfo(gamma!.shape, 'float32', Float32Array.from(dgamma)),
    backend.makeTensorInfo(gamma!.shape, 'float32', Float32Array.from(dbeta)),
  ];
}

export const msLayerNormGradConfig: KernelConfig = {
  kernelName: MsLayerNormGrad,
  backendName: 'cpu',
  kernelFunc: msLayerNormGrad as unknown as KernelFunc,
};
