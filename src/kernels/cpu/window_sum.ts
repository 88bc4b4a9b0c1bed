/**
 * Sliding window over channels of an NCHW buffer: for one sample, with
 * channel stride `plane` (= H*W),
 *   dst[c, p] = sum over c' in [c - r, c + r] ∩ [0, C) of src[c', p].
 * Each step adds the entering channel and drops the leaving one, so the cost
 * is O(C * plane) whatever r is. When dropping a term cancels most of the
 * running sum (a huge value leaving a window of small ones), that window is
 * summed afresh so float64 rounding never shows in the float32 result.
 */
export function channelWindowSum(
    src: Float64Array, dst: Float64Array, channels: number, plane: number,
    radius: number): void {
  const acc = new Float64Array(plane);
  const first = Math.min(radius, channels - 1);
  for (let c = 0; c <= first; c++) {
    const off = c * plane;
    for (let p = 0; p < plane; p++) {
      acc[p] += src[off + p];
    }
  }
  for (let c = 0; c < channels; c++) {
    const out = c * plane;
    for (let p = 0; p < plane; p++) {
      dst[out + p] = acc[p];
    }
    const enter = c + radius + 1;
    const leave = c - radius;
    if (enter >= channels && leave < 0) {
      continue;
    }
    for (let p = 0; p < plane; p++) {
      let sum = acc[p];
      if (enter < channels) {
        sum += src[enter * plane + p];
      }
      if (leave >= 0) {
        const gone = src[leave * plane + p];
        sum -= gone;
        if (Math.abs(sum) < 1e-6 * Math.abs(gone)) {
          sum = 0;
          const lo = leave + 1;
          const hi = Math.min(enter, channels - 1);
          for (let k = lo; k <= hi; k++) {
            sum += src[k * plane + p];
          }
        }
      }
      acc[p] = sum;
    }
  }
}
