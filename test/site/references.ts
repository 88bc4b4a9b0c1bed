// SPDX-License-Identifier: Apache-2.0
/**
 * float64 references for every number the page shows, written from each
 * library's documented formula (SEMANTICS), not from the page's code.
 * Layouts: rows along the last axis; NCHW for LRN; (N, C, *) for GroupNorm;
 * (N, C) for BatchNorm.
 */
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/** Applies f to every run of `d` consecutive values (the last axis). */
function lastAxis(x: number[], d: number, f: (row: number[]) => number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i += d) {
    out.push(...f(x.slice(i, i + d)));
  }
  return out;
}

/** MindSpore L2Normalize / TensorFlow l2_normalize: x / sqrt(max(sum x^2, epsilon)). */
export function l2SumOfSquares(x: number[], d: number, epsilon: number): number[] {
  return lastAxis(x, d, r => r.map(v => v / Math.sqrt(Math.max(sum(r.map(u => u * u)), epsilon))));
}

/** PyTorch normalize: x / max(||x||, eps). */
export function l2Norm(x: number[], d: number, eps: number): number[] {
  return lastAxis(x, d, r => r.map(v => v / Math.max(Math.sqrt(sum(r.map(u => u * u))), eps)));
}

/** LRN across channels of NCHW: window [c - below, c + above], scale k + a * window sum. */
function lrnWindow(x: number[], shape: number[], below: number, above: number, k: number,
                   a: number, beta: number): number[] {
  const [n, c, h, w] = shape;
  const hw = h * w;
  const out = new Array<number>(x.length);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < hw; p++) {
        let s = 0;
        for (let j = Math.max(0, ch - below); j <= Math.min(c - 1, ch + above); j++) {
          s += x[(i * c + j) * hw + p] ** 2;
        }
        const at = (i * c + ch) * hw + p;
        out[at] = x[at] / Math.pow(k + a * s, beta);
      }
    }
  }
  return out;
}

/** MindSpore (and tfjs) LRN: alpha not divided by the window. */
export function msLrn(x: number[], shape: number[], r = 5, bias = 1, alpha = 1, beta = 0.5) {
  return lrnWindow(x, shape, r, r, bias, alpha, beta);
}

/** PyTorch LocalResponseNorm: alpha / size, window [c - floor(size/2), c + floor((size-1)/2)]. */
export function torchLrn(x: number[], shape: number[], size: number, alpha = 1e-4, beta = 0.75,
                         k = 1) {
  return lrnWindow(x, shape, Math.floor(size / 2), Math.floor((size - 1) / 2), k, alpha / size,
                   beta);
}

function standardize(v: number[], eps: number): number[] {
  const m = sum(v) / v.length;
  const variance = sum(v.map(u => (u - m) ** 2)) / v.length;
  return v.map(u => (u - m) / Math.sqrt(variance + eps));
}

export function groupNormRef(x: number[], shape: number[], groups: number, eps = 1e-5) {
  const block = x.length / (shape[0] * groups);
  return lastAxis(x, block, r => standardize(r, eps));
}

export function layerNormRef(x: number[], d: number, eps: number): number[] {
  return lastAxis(x, d, r => standardize(r, eps));
}

/** BatchNorm on (N, C) with batch statistics (biased variance). */
export function batchNormTrain(x: number[], [n, c]: number[], eps: number): number[] {
  const out = new Array<number>(x.length);
  for (let ch = 0; ch < c; ch++) {
    const col = Array.from({length: n}, (_, i) => x[i * c + ch]);
    standardize(col, eps).forEach((v, i) => out[i * c + ch] = v);
  }
  return out;
}

/** BatchNorm inference with moving mean 0 and variance 1. */
export function batchNormFresh(x: number[], eps: number): number[] {
  return x.map(v => v / Math.sqrt(1 + eps));
}

/**
 * Moving statistics after each step (step 0 = mean 0, variance 1), Keras /
 * MindSpore nn direction: moving = m * moving + (1 - m) * batch.
 */
export function movingStats(batches: number[][], m: number, unbiased: boolean) {
  let mean = 0;
  let variance = 1;
  const means: number[] = [mean];
  const variances: number[] = [variance];
  for (const b of batches) {
    const bm = sum(b) / b.length;
    const bv = sum(b.map(v => (v - bm) ** 2)) / (b.length - (unbiased ? 1 : 0));
    mean = m * mean + (1 - m) * bm;
    variance = m * variance + (1 - m) * bv;
    means.push(mean);
    variances.push(variance);
  }
  return {means, variances};
}
