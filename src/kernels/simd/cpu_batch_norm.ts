// SPDX-License-Identifier: Apache-2.0
/**
 * Batch norm's training forward and gradient on the cpu backend, streamed:
 * their statistics span the whole batch, so each pass of the kernel (moments,
 * dy sums, output) sweeps the rows of x (and dy) in cache-sized chunks,
 * copied into the module's memory one chunk at a time, accumulating
 * per-channel float64 sums there. x is read from memory twice in training
 * (moments, output), and the module's memory stays small. The formulas are
 * those of the whole-tensor kernels (BatchNormTraining.ts, BatchNormGrad.ts),
 * which tfjs's wasm backend runs in place.
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {NamedAttrMap, TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsBatchNormGradAttrs, MsBatchNormTrainingAttrs} from '../../kernel_names';
import {channelLayout, ChannelLayout} from '../cpu/channel_stats';
import {CHUNK_VALUES, CpuCall, runOnCpuSimd} from './cpu_call';
import {gradientCoefficients} from './BatchNormGrad';
import {trainingCoefficients} from './BatchNormTraining';
import {SimdInputs} from './simd_call';

/** Calls visit(rows, first row) for chunks of the layout's outer rows. */
function forEachChunk(layout: ChannelLayout, visit: (rows: number, row0: number) => void): void {
  const rowSize = Math.max(1, layout.channels * layout.inner);
  const perChunk = Math.max(1, Math.floor(CHUNK_VALUES / rowSize));
  for (let row0 = 0; row0 < layout.outer; row0 += perChunk) {
    visit(Math.min(perChunk, layout.outer - row0), row0);
  }
}

/** Copies rows [row0, row0 + rows) of a tensor's values into the module; their address. */
function rowsIn(call: CpuCall, values: TypedArray, layout: ChannelLayout, row0: number,
                rows: number): number {
  const rowSize = layout.channels * layout.inner;
  return call.copyIn(values.subarray(row0 * rowSize, (row0 + rows) * rowSize));
}

/**
 * Computes an output chunk by chunk of rows: `compute` writes rows
 * [row0, row0 + rows) of it at `out` in the module; they are copied to `dest`.
 */
function streamOutput(call: CpuCall, layout: ChannelLayout, dest: Float32Array,
                      compute: (rows: number, row0: number, out: number) => void): void {
  const rowSize = layout.channels * layout.inner;
  const mark = call.mark();
  forEachChunk(layout, (rows, row0) => {
    const out = call.scratch(rows * rowSize * 4);
    compute(rows, row0, out);
    dest.set(call.f32(out, rows * rowSize), row0 * rowSize);
    call.rewind(mark);
  });
}

/**
 * Per-channel mean and biased variance of x into the float64 slots at
 * meanAt/varAt, reading x from memory once: each chunk's statistics are
 * two-pass (its sums, then its squared deviations from its own mean, while the
 * chunk is in cache), and the chunks are merged with Chan, Golub and LeVeque's
 * pairwise update (mean += d * n / N, M2 += M2_chunk + d^2 * seen * n / N, d the
 * difference of the means), which is as exact as one two-pass sweep over the
 * whole batch and needs no third pass over x.
 */
function streamMoments(call: CpuCall, x: TypedArray, layout: ChannelLayout, meanAt: number,
                       varAt: number): void {
  const {channels, inner, count} = layout;
  call.f64(meanAt, channels).fill(0);
  call.f64(varAt, channels).fill(0);
  const chunkMeanAt = call.scratch(channels * 8);
  const chunkM2At = call.scratch(channels * 8);
  const mark = call.mark();
  let seen = 0;
  forEachChunk(layout, (rows, row0) => {
    const at = rowsIn(call, x, layout, row0, rows);
    const n = rows * inner;
    // Views after the copy: it may have grown (and so replaced) the module's buffer.
    const chunkMean = call.f64(chunkMeanAt, channels).fill(0);
    call.f64(chunkM2At, channels).fill(0);
    call.k.channelSums(at, rows, channels, inner, chunkMeanAt);
    chunkMean.forEach((sum, c) => chunkMean[c] = sum / n);
    call.k.channelSquaredDeviations(at, rows, channels, inner, chunkMeanAt, chunkM2At);
    const chunkM2 = call.f64(chunkM2At, channels);
    const mean = call.f64(meanAt, channels);
    const m2 = call.f64(varAt, channels);
    const total = seen + n;
    for (let c = 0; c < channels; c++) {
      const d = chunkMean[c] - mean[c];
      mean[c] += d * (n / total);
      m2[c] += chunkM2[c] + d * d * (seen * (n / total));
    }
    seen = total;
    call.rewind(mark);
  });
  call.f64(varAt, channels).forEach((s, c, variance) => variance[c] = s / count);
}

export function streamedBatchNormTraining(
    backend: MathBackendCPU, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[]|null {
  const {dataFormat} = attrs as unknown as MsBatchNormTrainingAttrs;
  const {x, gamma, beta, runningMean, runningVar} = inputs;
  const layout = channelLayout(x.shape, dataFormat);
  const {channels, inner, count} = layout;
  return runOnCpuSimd(backend, call => {
    const xVals = call.read(x);
    const y = new Float32Array(xVals.length);
    const slots = call.scratch(4 * channels * 8);
    const [meanAt, varAt, scaleAt, offsetAt] = [0, 1, 2, 3].map(i => slots + i * channels * 8);
    const newMean = new Float32Array(channels);
    const newVar = new Float32Array(channels);
    if (count > 0) {
      streamMoments(call, xVals, layout, meanAt, varAt);
    }
    trainingCoefficients(call, slots, channels, count, attrs as unknown as MsBatchNormTrainingAttrs,
                         call.read(gamma), call.read(beta), call.read(runningMean),
                         call.read(runningVar), newMean, newVar);
    if (count > 0) {
      streamOutput(call, layout, y, (rows, row0, out) => {
        const at = rowsIn(call, xVals, layout, row0, rows);
        call.k.channelAffine(at, out, rows, channels, inner, meanAt, scaleAt, offsetAt);
      });
    }
    return [
      backend.makeTensorInfo(x.shape, 'float32', y),
      backend.makeTensorInfo([channels], 'float32', newMean),
      backend.makeTensorInfo([channels], 'float32', newVar),
    ];
  });
}

export function streamedBatchNormGrad(
    backend: MathBackendCPU, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[]|null {
  const {training, epsilon, dataFormat} = attrs as unknown as MsBatchNormGradAttrs;
  const {x, gamma, runningMean, runningVar, dy} = inputs;
  const layout = channelLayout(x.shape, dataFormat);
  const {channels, inner, count} = layout;
  return runOnCpuSimd(backend, call => {
    const xVals = call.read(x);
    const dyVals = call.read(dy);
    const dx = new Float32Array(xVals.length);
    const slots = call.scratch(7 * channels * 8);
    const [meanAt, varAt, sumDyAt, sumDyXcAt, pAt, qAt, rAt] =
        [0, 1, 2, 3, 4, 5, 6].map(i => slots + i * channels * 8);
    call.f64(slots, 7 * channels).fill(0);
    if (training) {
      if (count > 0) {
        streamMoments(call, xVals, layout, meanAt, varAt);
      }
    } else {
      call.f64(meanAt, channels).set(call.read(runningMean));
      call.f64(varAt, channels).set(call.read(runningVar));
    }
    const mark = call.mark();
    forEachChunk(layout, (rows, row0) => {
      const xAt = rowsIn(call, xVals, layout, row0, rows);
      const dyAt = rowsIn(call, dyVals, layout, row0, rows);
      call.k.channelDySums(xAt, dyAt, rows, channels, inner, meanAt, sumDyAt, sumDyXcAt);
      call.rewind(mark);
    });
    const dgamma = new Float32Array(channels);
    const dbeta = new Float32Array(channels);
    gradientCoefficients(call, training, count, epsilon, call.read(gamma), slots, channels, dgamma,
                         dbeta);
    streamOutput(call, layout, dx, (rows, row0, out) => {
      const dyAt = rowsIn(call, dyVals, layout, row0, rows);
      if (training) {
        const xAt = rowsIn(call, xVals, layout, row0, rows);
        call.k.channelGradient(dyAt, xAt, out, rows, channels, inner, meanAt, pAt, qAt, rAt);
      } else {
        call.k.channelAffine(dyAt, out, rows, channels, inner, qAt, pAt, rAt);
      }
    });
    return [
      backend.makeTensorInfo(x.shape, 'float32', dx),
      backend.makeTensorInfo([channels], 'float32', dgamma),
      backend.makeTensorInfo([channels], 'float32', dbeta),
    ];
  });
}
