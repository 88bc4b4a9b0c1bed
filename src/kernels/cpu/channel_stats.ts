// SPDX-License-Identifier: Apache-2.0
/**
 * Per-channel statistics for the batch-norm kernels. A tensor with a channel
 * axis is viewed as row-major [outer, channels, inner] blocks, so every loop
 * walks the buffer once, in order, with the channel fixed per block.
 *
 * NCHW blocks are rows of `inner` values (row_math's unrolled loops).
 * Channels-last data (inner 1) is taken four [channels] rows at a time, so
 * each per-channel slot or parameter is loaded once per four values.
 */
import {TypedArray} from '@tensorflow/tfjs-core';

import {DataFormat, VarianceUpdate} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {rangeDySums, rangeGradient, rangeNormalize, rangeSquaredDeviation, rangeSum} from './row_math';

export interface ChannelLayout {
  outer: number;
  channels: number;
  inner: number;
  /** Values per channel: outer * inner. */
  count: number;
}

/** 'NCHW': channel axis 1 (any rank >= 2); 'NHWC': channel axis last. */
export function channelLayout(shape: number[], dataFormat: DataFormat): ChannelLayout {
  const axis = dataFormat === 'NHWC' ? shape.length - 1 : 1;
  const outer = sizeOfDims(shape, 0, axis);
  const inner = sizeOfDims(shape, axis + 1);
  return {outer, channels: shape[axis], inner, count: outer * inner};
}

/**
 * sums[c] += a[e] - shift[c] (or its square when `squared`) over every
 * element e of channel c. shift null means 0.
 */
function channelAccumulate(
    a: TypedArray, layout: ChannelLayout, shift: Float64Array|null, squared: boolean,
    sums: Float64Array): void {
  const {outer, channels: C, inner} = layout;
  if (inner !== 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < C; c++, e += inner) {
        sums[c] += squared ? rangeSquaredDeviation(a, e, e + inner, shift == null ? 0 : shift[c]) :
                             rangeSum(a, e, e + inner);
      }
    }
    return;
  }
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const e = o * C;
    for (let c = 0; c < C; c++) {
      const m = shift == null ? 0 : shift[c];
      const d0 = a[e + c] - m;
      const d1 = a[e + C + c] - m;
      const d2 = a[e + 2 * C + c] - m;
      const d3 = a[e + 3 * C + c] - m;
      sums[c] += squared ? (d0 * d0 + d1 * d1) + (d2 * d2 + d3 * d3) : (d0 + d1) + (d2 + d3);
    }
  }
  for (; o < outer; o++) {
    for (let c = 0, e = o * C; c < C; c++) {
      const d = a[e + c] - (shift == null ? 0 : shift[c]);
      sums[c] += squared ? d * d : d;
    }
  }
}

/**
 * Two-pass (stable) per-channel mean and biased variance: the mean first,
 * then the mean of squared deviations, never E[x^2] - E[x]^2.
 * A channel with no values gets NaN for both.
 */
export function channelMoments(x: TypedArray, layout: ChannelLayout):
    {mean: Float64Array, variance: Float64Array} {
  const {channels, count} = layout;
  const mean = new Float64Array(channels);
  channelAccumulate(x, layout, null, false, mean);
  for (let c = 0; c < channels; c++) {
    mean[c] /= count;
  }
  const variance = new Float64Array(channels);
  channelAccumulate(x, layout, mean, true, variance);
  for (let c = 0; c < channels; c++) {
    variance[c] /= count;
  }
  return {mean, variance};
}

/**
 * A training step's running statistics, new = (1 - momentum) * running +
 * momentum * batch, from a batch of `count` values per channel; the variance
 * update uses var * M / (M - 1) when 'unbiased', var when 'biased'.
 * An empty batch carries no statistics: the running stats stay as they are.
 * With one value per channel the unbiased variance is 0/0; MindSpore's GPU
 * path would write inf/NaN and substituting the biased 0 would drag the
 * moving variance towards 0 (inference would then divide by ~sqrt(eps)), so
 * the running variance is left unchanged there (the mean still updates).
 */
export function updateRunningStats(
    count: number, momentum: number, varianceUpdate: VarianceUpdate, mean: ArrayLike<number>,
    variance: ArrayLike<number>, runningMean: ArrayLike<number>, runningVar: ArrayLike<number>,
    newMean: Float32Array, newVar: Float32Array): void {
  const updateVar = count > 1 || (count === 1 && varianceUpdate === 'biased');
  const varFactor = varianceUpdate === 'unbiased' && count > 1 ? count / (count - 1) : 1;
  for (let c = 0; c < newMean.length; c++) {
    newMean[c] = count > 0 ? (1 - momentum) * runningMean[c] + momentum * mean[c] : runningMean[c];
    newVar[c] = updateVar ? (1 - momentum) * runningVar[c] + momentum * variance[c] * varFactor :
                            runningVar[c];
  }
}

/** out[e] = (x[e] - shift[c]) * scale[c] + offset[c] for every element e of channel c. */
export function channelAffine(
    x: TypedArray, layout: ChannelLayout, shift: Float64Array, scale: Float64Array,
    offset: ArrayLike<number>, out: Float32Array): void {
  const {outer, channels: C, inner} = layout;
  // The loop structure repeats channelGradient's on purpose: each is one hand-unrolled pass.
  if (inner !== 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < C; c++, e += inner) {
        rangeNormalize(x, out, e, e + inner, shift[c], scale[c], offset[c]);
      }
    }
    return;
  }
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const e = o * C;
    for (let c = 0; c < C; c++) {
      const m = shift[c];
      const k = scale[c];
      const b = offset[c];
      out[e + c] = (x[e + c] - m) * k + b;
      out[e + C + c] = (x[e + C + c] - m) * k + b;
      out[e + 2 * C + c] = (x[e + 2 * C + c] - m) * k + b;
      out[e + 3 * C + c] = (x[e + 3 * C + c] - m) * k + b;
    }
  }
  for (; o < outer; o++) {
    for (let c = 0, e = o * C; c < C; c++) {
      out[e + c] = (x[e + c] - shift[c]) * scale[c] + offset[c];
    }
  }
}

/**
 * sumDy[c] += dy, sumDyXc[c] += dy * (x - mean[c]) over every element of
 * channel c. With `scaled`, also out = dy * scale[c], row by row while the
 * row is in cache (inference's dx).
 */
export function channelDySums(
    x: TypedArray, dy: TypedArray, layout: ChannelLayout, mean: Float64Array,
    sumDy: Float64Array, sumDyXc: Float64Array,
    scaled: {scale: Float64Array, out: Float32Array}|null = null): void {
  const {outer, channels: C, inner} = layout;
  if (inner !== 1) {
    const pair = new Float64Array(2);
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < C; c++, e += inner) {
        rangeDySums(dy, x, e, e + inner, mean[c], pair);
        sumDy[c] += pair[0];
        sumDyXc[c] += pair[1];
        if (scaled != null) {
          rangeNormalize(dy, scaled.out, e, e + inner, 0, scaled.scale[c], 0);
        }
      }
    }
    return;
  }
  if (scaled != null) {
    const zeros = new Float64Array(C);
    channelAffine(dy, layout, zeros, scaled.scale, zeros, scaled.out);
  }
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const e = o * C;
    for (let c = 0; c < C; c++) {
      const m = mean[c];
      const g0 = dy[e + c];
      const g1 = dy[e + C + c];
      const g2 = dy[e + 2 * C + c];
      const g3 = dy[e + 3 * C + c];
      sumDy[c] += (g0 + g1) + (g2 + g3);
      sumDyXc[c] += (g0 * (x[e + c] - m) + g1 * (x[e + C + c] - m)) +
          (g2 * (x[e + 2 * C + c] - m) + g3 * (x[e + 3 * C + c] - m));
    }
  }
  for (; o < outer; o++) {
    for (let c = 0, e = o * C; c < C; c++) {
      const g = dy[e + c];
      sumDy[c] += g;
      sumDyXc[c] += g * (x[e + c] - mean[c]);
    }
  }
}

/** dx[e] = dy[e] * p[c] + (x[e] - mean[c]) * q[c] + r[c] for every element e of channel c. */
export function channelGradient(
    dy: TypedArray, x: TypedArray, layout: ChannelLayout, mean: Float64Array, p: Float64Array,
    q: Float64Array, r: Float64Array, dx: Float32Array): void {
  const {outer, channels: C, inner} = layout;
  if (inner !== 1) {
    for (let o = 0, e = 0; o < outer; o++) {
      for (let c = 0; c < C; c++, e += inner) {
        rangeGradient(dy, x, dx, e, e + inner, mean[c], p[c], q[c], r[c]);
      }
    }
    return;
  }
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const e = o * C;
    for (let c = 0; c < C; c++) {
      const m = mean[c];
      const a = p[c];
      const b = q[c];
      const d = r[c];
      dx[e + c] = dy[e + c] * a + (x[e + c] - m) * b + d;
      dx[e + C + c] = dy[e + C + c] * a + (x[e + C + c] - m) * b + d;
      dx[e + 2 * C + c] = dy[e + 2 * C + c] * a + (x[e + 2 * C + c] - m) * b + d;
      dx[e + 3 * C + c] = dy[e + 3 * C + c] * a + (x[e + 3 * C + c] - m) * b + d;
    }
  }
  for (; o < outer; o++) {
    for (let c = 0, e = o * C; c < C; c++) {
      dx[e + c] = dy[e + c] * p[c] + (x[e + c] - mean[c]) * q[c] + r[c];
    }
  }
}
