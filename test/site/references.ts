// SPDX-License-Identifier: Apache-2.0
/**
 * float64 references for the PyTorch columns of the page (the MindSpore and
 * TensorFlow formulas are test_util's), written from PyTorch's documented
 * formulas.
 */
/** F.normalize(p=2) over the last axis (rows of d values): x / max(||x||, eps). */
export function torchNormalizeRef(x: number[], d: number, eps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i += d) {
    const row = x.slice(i, i + d);
    const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
    out.push(...row.map(v => v / Math.max(norm, eps)));
  }
  return out;
}

/**
 * nn.LocalResponseNorm on NCHW: x / (k + alpha / size * sum of squares over
 * channels [c - floor(size/2), c + floor((size-1)/2)])^beta.
 */
export function torchLrnRef(x: number[], shape: number[], size: number, alpha = 1e-4,
                            beta = 0.75, k = 1): number[] {
  const [n, c, h, w] = shape;
  const plane = h * w;
  const out = new Array<number>(x.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        let s = 0;
        const lo = Math.max(0, ch - Math.floor(size / 2));
        const hi = Math.min(c - 1, ch + Math.floor((size - 1) / 2));
        for (let j = lo; j <= hi; j++) {
          s += x[(b * c + j) * plane + p] ** 2;
        }
        const at = (b * c + ch) * plane + p;
        out[at] = x[at] / Math.pow(k + alpha / size * s, beta);
      }
    }
  }
  return out;
}
