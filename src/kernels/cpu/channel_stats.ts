/**
 * Per-channel statistics for the batch-norm kernels. A tensor with a channel
 * axis is viewed as row-major [outer, channels, inner] blocks, so every loop
 * walks the buffer once, in order, with the channel fixed per block.
 */
import {DataFormat} from '../../kernel_names';
import {sizeOf} from './cpu_util';

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
  const outer = sizeOf(shape, 0, axis);
  const inner = sizeOf(shape, axis + 1);
  return {outer, channels: shape[axis], inner, count: outer * inner};
}

/** sums[c] += a[e] over every element e of channel c. */
export function channelSum(a: ArrayLike<number>, layout: ChannelLayout, sums: Float64Array):
    void {
  const {outer, channels, inner} = layout;
  let e = 0;
  if (inner === 1) {  // channels-last: no inner loop per element
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e++) {
        sums[c] += a[e];
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let i = 0; i < inner; i++, e++) {
        s += a[e];
      }
      sums[c] += s;
    }
  }
}

/**
 * Two-pass (stable) per-channel mean and biased variance: the mean first,
 * then the mean of squared deviations, never E[x^2] - E[x]^2.
 * A channel with no values gets NaN for both.
 */
export function channelMoments(x: ArrayLike<number>, layout: ChannelLayout):
    {mean: Float64Array, variance: Float64Array} {
  const {outer, channels, inner, count} = layout;
  const mean = new Float64Array(channels);
  channelSum(x, layout, mean);
  for (let c = 0; c < channels; c++) {
    mean[c] /= count;
  }
  const variance = new Float64Array(channels);
  let e = 0;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e++) {
        const d = x[e] - mean[c];
        variance[c] += d * d;
      }
    }
  } else {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const m = mean[c];
        let s = 0;
        for (let i = 0; i < inner; i++, e++) {
          const d = x[e] - m;
          s += d * d;
        }
        variance[c] += s;
      }
    }
  }
  for (let c = 0; c < channels; c++) {
    variance[c] /= count;
  }
  return {mean, variance};
}

/** out[e] = (x[e] - shift[c]) * scale[c] + offset[c] for every element e of channel c. */
export function channelAffine(
    x: ArrayLike<number>, layout: ChannelLayout, shift: Float64Array, scale: Float64Array,
    offset: ArrayLike<number>, out: Float32Array): void {
  const {outer, channels, inner} = layout;
  let e = 0;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++, e++) {
        out[e] = (x[e] - shift[c]) * scale[c] + offset[c];
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const m = shift[c];
      const k = scale[c];
      const b = offset[c];
      for (let i = 0; i < inner; i++, e++) {
        out[e] = (x[e] - m) * k + b;
      }
    }
  }
}
