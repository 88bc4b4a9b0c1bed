// SPDX-License-Identifier: Apache-2.0
/**
 * The exports of the SIMD kernel module (wasm/assembly/index.ts). Pointers
 * are byte offsets into the memory the instance imports; float32 data unless
 * named otherwise, per-channel and scratch arrays float64.
 */
export interface SimdExports {
  groupNorm(x: number, gamma: number, beta: number, out: number, batch: number, channels: number,
            inner: number, numGroups: number, epsilon: number): void;
  groupNormGrad(x: number, gamma: number, dy: number, dx: number, dgamma: number, dbeta: number,
                batch: number, channels: number, inner: number, numGroups: number,
                epsilon: number, scratch: number): void;
  layerNorm(x: number, gamma: number, beta: number, y: number, mean: number, variance: number,
            outer: number, blockSize: number, chunk: number, chunks: number, paramSize: number,
            epsilon: number, scratch: number): void;
  layerNormGrad(x: number, gamma: number, dy: number, dmean: number, hasDmean: number,
                dvar: number, hasDvar: number, dx: number, dgamma: number, dbeta: number,
                outer: number, blockSize: number, chunk: number, chunks: number,
                paramSize: number, epsilon: number, scratch: number): void;
  channelMoments(x: number, outer: number, channels: number, inner: number, mean: number,
                 variance: number): void;
  channelSums(x: number, outer: number, channels: number, inner: number, sums: number): void;
  channelSquaredDeviations(x: number, outer: number, channels: number, inner: number,
                           mean: number, sums: number): void;
  channelAffine(x: number, out: number, outer: number, channels: number, inner: number,
                shift: number, scale: number, offset: number): void;
  channelDySums(x: number, dy: number, outer: number, channels: number, inner: number,
                mean: number, sumDy: number, sumDyXc: number): void;
  channelGradient(dy: number, x: number, dx: number, outer: number, channels: number,
                  inner: number, mean: number, p: number, q: number, r: number): void;
  l2Normalize(x: number, out: number, outer: number, reduce: number, inner: number,
              epsilon: number, scratch: number): void;
  l2NormalizeGrad(x: number, dy: number, dx: number, outer: number, reduce: number,
                  inner: number, epsilon: number, scratch: number): void;
  l2NormalizeSliced(x: number, out: number, size: number, sliceOf: number, numSlices: number,
                    epsilon: number, scratch: number): void;
  l2NormalizeGradSliced(x: number, dy: number, dx: number, size: number, sliceOf: number,
                        numSlices: number, epsilon: number, scratch: number): void;
  lrn(x: number, out: number, batch: number, channels: number, plane: number, radius: number,
      bias: number, alpha: number, beta: number, tile: number, scratch: number): void;
  lrnGrad(x: number, dy: number, dx: number, batch: number, channels: number, plane: number,
          radius: number, bias: number, alpha: number, beta: number, tile: number,
          scratch: number): void;
  rmsNorm(x: number, gamma: number, y: number, rstd: number, rows: number, rowSize: number,
          epsilon: number): void;
  rmsNormGrad(dy: number, x: number, rstd: number, gamma: number, dx: number, dgamma: number,
              rows: number, rowSize: number, scratch: number): void;
}
