// SPDX-License-Identifier: Apache-2.0
/**
 * Batch norm's training forward and gradient on the cpu backend, streamed:
 * their statistics span the whole batch, so each pass of the kernel (sums,
 * squared deviations, dy sums, output) sweeps the rows of x (and dy) in
 * cache-sized chunks, copied into the module's memory one chunk at a time,
 * accumulating per-channel float64 sums there. Memory traffic is that of the
 * JavaScript kernels' passes and the module's memory stays small. The
 * formulas are those of the whole-tensor kernels (BatchNormTraining.ts,
 * BatchNormGrad.ts), which tfjs's wasm backend runs in place.
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {NamedAttrMap, TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsBatchNormGradAttrs, MsBatchNormTrainingAttrs} from '../../kernel_names';
import {channelLayout, ChannelLayout} from '../cpu/channel_stats';
import {CHUNK_VALUES, CpuCall, runOnCpuSimd} from './cpu_call';
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

/** Two-pass per-channel mean and biased variance of x into the float64 slots at meanAt/varAt. */
function streamMoments(call: CpuCall, x: TypedArray, layout: ChannelLayout, meanAt: number,
                       varAt: number): void {
  const {channels, inner, count} = layout;
  call.f64(meanAt, channels).fill(0);
  call.f64(varAt, channels).fill(0);
  const mark = call.mark();
  forEachChunk(layout, (rows, row0) => {
    call.k.channelSums(rowsIn(call, x, layout, row0, rows), rows, channels, inner, meanAt);
    call.rewind(mark);
  });
  call.f64(meanAt, channels).forEach((s, c, mean) => mean[c] = s / count);
  forEachChunk(layout, (rows, row0) => {
    call.k.channelSquaredDeviations(rowsIn(call, x, layout, row0, rows), rows, channels, inner,
                                    meanAt, varAt);
    call.rewind(mark);
  });
  call.f64(varAt, channels).forEach((s, c, variance) => variance[c] = s / count);
}

export function streamedBatchNormTraining(
    backend: MathBackendCPU, inputs: SimdInputs, attrs: NamedAttrMap): TensorInfo[]|null {
  const {momentum, epsilon, dataFormat, varianceUpdate} =
      attrs as unknown as MsBatchNormTrainingAttrs;
  const {x, gamma, beta, runningMean, runningVar} = inputs;
  const layout = channelLayout(x.shape, dataFormat);
  const {channels, inner, count} = layout;
  return runOnCpuSimd(backend, call => {
    const xVals = call.read(x);
    const y = new Float32Array(xVals.length);
    const slots = call.scratch(4 * channels * 8);
    const [meanAt, varAt, scaleAt, offsetAt] = [0, 1, 2, 3].map(i => slots + i * channels * 8);
    const newMean = Float32Array.from(call.read(runningMean));
    const newVar = Float32Array.from(call.read(runningVar));
    if (count > 0) {
      streamMoments(call, xVals, layout, meanAt, varAt);
      const mean = call.f64(meanAt, channels);
      const variance = call.f64(varAt, channels);
      const scale = call.f64(scaleAt, channels);
      const gammaVals = call.read(gamma);
      call.f64(offsetAt, channels).set(call.read(beta));
      const updateVar = count > 1 || varianceUpdate === 'biased';
      const varFactor = varianceUpdate === 'unbiased' && count > 1 ? count / (count - 1) : 1;
      for (let c = 0; c < channels; c++) {
        scale[c] = gammaVals[c] / Math.sqrt(variance[c] + epsilon);
        newMean[c] = (1 - momentum) * newMean[c] + momentum * mean[c];
        if (updateVar) {
          newVar[c] = (1 - momentum) * newVar[c] + momentum * variance[c] * varFactor;
        }
      }
      const mark = call.mark();
      forEachChunk(layout, (rows, row0) => {
        const at = rowsIn(call, xVals, layout, row0, rows);
        const n = rows * channels * inner;
        const out = call.scratch(n * 4);
        call.k.channelAffine(at, out, rows, channels, inner, meanAt, scaleAt, offsetAt);
        y.set(call.f32(out, n), row0 * channels * inner);
        call.rewind(mark);
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
    const variance = call.f64(varAt, channels);
    const sumDy = call.f64(sumDyAt, channels);
    const sumDyXc = call.f64(sumDyXcAt, channels);
    const p = call.f64(pAt, channels);
    const q = call.f64(qAt, channels);
    const r = call.f64(rAt, channels);
    const gammaVals = call.read(gamma);
    const dgamma = new Float32Array(channels);
    const dbeta = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const invStd = 1 / Math.sqrt(variance[c] + epsilon);
      p[c] = gammaVals[c] * invStd;
      dgamma[c] = count > 0 ? sumDyXc[c] * invStd : 0;
      dbeta[c] = sumDy[c];
      // dx = p * dy + q * (x - mean) + r; inference needs only p (q, r stay 0).
      q[c] = training && count > 0 ? -p[c] * invStd * invStd * sumDyXc[c] / count : 0;
      r[c] = training && count > 0 ? -p[c] * sumDy[c] / count : 0;
    }
    forEachChunk(layout, (rows, row0) => {
      const n = rows * channels * inner;
      const dyAt = rowsIn(call, dyVals, layout, row0, rows);
      const out = call.scratch(n * 4);
      if (training) {
        const xAt = rowsIn(call, xVals, layout, row0, rows);
        call.k.channelGradient(dyAt, xAt, out, rows, channels, inner, meanAt, pAt, qAt, rAt);
      } else {
        call.k.channelAffine(dyAt, out, rows, channels, inner, qAt, pAt, rAt);
      }
      dx.set(call.f32(out, n), row0 * channels * inner);
      call.rewind(mark);
    });
    return [
      backend.makeTensorInfo(x.shape, 'float32', dx),
      backend.makeTensorInfo([channels], 'float32', dgamma),
      backend.makeTensorInfo([channels], 'float32', dbeta),
    ];
  });
}
