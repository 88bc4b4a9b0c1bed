/**
 * Shared test helpers: seeded random data, tolerant comparison, leak checks,
 * float64 reference implementations and float64 central differences.
 * References here are written from SEMANTICS (the formulas), never from the
 * code under test.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

import * as fixtures from './fixtures/seed_cases.json';

export interface SeedCase {
  id: string;
  op: string;
  args: Record<string, unknown>;
  mode?: string;
  shape?: number[];
  input: unknown;
  expected: unknown;
  atol?: number;
  rtol?: number;
}

export function seedCases(op: string): SeedCase[] {
  return (fixtures.cases as SeedCase[]).filter(c => c.op === op);
}

/** Seed input/expected values: nested arrays, or 'ones'/'zeros' filling `shape`. */
export function seedValues(c: SeedCase, which: 'input'|'expected'): number[] {
  const v = c[which];
  if (v === 'ones' || v === 'zeros') {
    return new Array(c.shape!.reduce((a, b) => a * b, 1)).fill(v === 'ones' ? 1 : 0);
  }
  return (v as unknown[]).flat(Infinity) as number[];
}

export function seedShape(c: SeedCase): number[] {
  return c.shape ?? [seedValues(c, 'input').length];
}

/** Deterministic PRNG (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [lo, hi), rounded to float32 so references see the same inputs. */
export function randomValues(size: number, next: () => number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = lo + (hi - lo) * next();
  }
  return out;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** |a - e| <= atol + rtol * |e| elementwise, with the first offending index in the message. */
export function expectClose(
    actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) {
        throw new Error(`index ${i}: expected NaN, got ${a}`);
      }
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) {
        throw new Error(`index ${i}: expected ${e}, got ${a}`);
      }
      continue;
    }
    const tol = atol + rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= tol)) {
      throw new Error(
          `index ${i}: expected ${e}, got ${a} (|diff| ${Math.abs(a - e)} > tol ${tol})`);
    }
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
  }
  return m;
}

/** Runs fn and asserts that it leaves tf.memory().numTensors unchanged. */
export function expectNoLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Asserts that fn throws an error matching `message` and leaks no tensor. */
export function expectThrowsNoLeak(fn: () => unknown, message: RegExp|string): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

/** Reads a tensor's values into a plain array and disposes it. */
export function take(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Row-major strides of a shape. */
export function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) {
    s[i] = s[i + 1] * shape[i + 1];
  }
  return s;
}

/** Multi-index of a flat index. */
export function coordsOf(index: number, shape: number[]): number[] {
  const st = strides(shape);
  return st.map((s, d) => Math.floor(index / s) % shape[d]);
}

/**
 * Gradient of L(x) = sum(f(x) * dy) by float64 central differences, where f
 * is a float64 reference. Cost O(n * cost(f)): keep n small.
 */
export function centralDiff(
    f: (x: Float64Array) => ArrayLike<number>, x: ArrayLike<number>, dy: ArrayLike<number>,
    h = 1e-6): Float64Array {
  const xs = Float64Array.from(x);
  const grad = new Float64Array(xs.length);
  const loss = (v: Float64Array) => {
    const y = f(v);
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      s += y[i] * dy[i];
    }
    return s;
  };
  for (let i = 0; i < xs.length; i++) {
    const orig = xs[i];
    const step = h * Math.max(1, Math.abs(orig));
    xs[i] = orig + step;
    const up = loss(xs);
    xs[i] = orig - step;
    const down = loss(xs);
    xs[i] = orig;
    grad[i] = (up - down) / (2 * step);
  }
  return grad;
}

// ---------------------------------------------------------------------------
// float64 references (from SEMANTICS.md)

/** out = x / sqrt(max(sum(x^2 over axes), eps)); axes non-negative. */
export function l2NormalizeRef(
    x: ArrayLike<number>, shape: number[], axes: number[], eps: number): Float64Array {
  const keyOf = (i: number) =>
      coordsOf(i, shape).map((c, d) => (axes.includes(d) ? 0 : c)).join(',');
  const sums = new Map<string, number>();
  for (let i = 0; i < x.length; i++) {
    const k = keyOf(i);
    sums.set(k, (sums.get(k) ?? 0) + x[i] * x[i]);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = x[i] / Math.sqrt(Math.max(sums.get(keyOf(i))!, eps));
  }
  return out;
}

/** MindSpore LRN on NCHW (window [c-r, c+r], alpha not divided by the window size). */
export function lrnRef(
    x: ArrayLike<number>, shape: number[], r: number, bias: number, alpha: number,
    beta: number): Float64Array {
  const [n, c, h, w] = shape;
  const plane = h * w;
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        let sum = 0;
        for (let k = Math.max(0, ch - r); k <= Math.min(c - 1, ch + r); k++) {
          const v = x[(b * c + k) * plane + p];
          sum += v * v;
        }
        const i = (b * c + ch) * plane + p;
        out[i] = x[i] / Math.pow(bias + alpha * sum, beta);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// float64 references: LayerNorm and InstanceNorm (from SEMANTICS.md)

export interface LayerNormRef {
  y: Float64Array;
  /** One per index of x.shape[:bna], row-major. */
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * MindSpore LayerNorm: mean and biased variance over axes [bna, rank),
 * y = (x - mean) / sqrt(var + eps) * gamma + beta with gamma, beta of shape
 * shape[bpa:]. bna and bpa are non-negative here.
 */
export function layerNormRef(
    x: ArrayLike<number>, shape: number[], bna: number, bpa: number, gamma: ArrayLike<number>,
    beta: ArrayLike<number>, eps: number): LayerNormRef {
  const groupShape = shape.slice(0, bna);
  const paramShape = shape.slice(bpa);
  const flat = (coords: number[], dims: number[]) =>
      coords.reduce((acc, c, d) => acc * dims[d] + c, 0);
  const groupOf = (i: number) => flat(coordsOf(i, shape).slice(0, bna), groupShape);
  const paramOf = (i: number) => flat(coordsOf(i, shape).slice(bpa), paramShape);
  const numGroups = sizeOf(groupShape);
  const count = sizeOf(shape.slice(bna));
  const mean = new Float64Array(numGroups);
  const variance = new Float64Array(numGroups);
  for (let i = 0; i < x.length; i++) {
    mean[groupOf(i)] += x[i] / count;
  }
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean[groupOf(i)];
    variance[groupOf(i)] += d * d / count;
  }
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const g = groupOf(i);
    const p = paramOf(i);
    y[i] = (x[i] - mean[g]) / Math.sqrt(variance[g] + eps) * gamma[p] + beta[p];
  }
  return {y, mean, variance};
}

/**
 * InstanceNorm on (N, C, *): per (n, c) biased statistics, gamma/beta per
 * channel, i.e. GroupNorm with one channel per group.
 */
export function instanceNormRef(
    x: ArrayLike<number>, shape: number[], gamma: ArrayLike<number>, beta: ArrayLike<number>,
    eps: number): Float64Array {
  return groupNormRef(x, shape, shape[1], gamma, beta, eps);
}

// ---------------------------------------------------------------------------
// float64 references: GroupNorm and BatchNorm (from SEMANTICS.md)

/** GroupNorm on (N, C, *): biased statistics per sample and group of C / numGroups channels. */
export function groupNormRef(
    x: ArrayLike<number>, shape: number[], numGroups: number, gamma: ArrayLike<number>,
    beta: ArrayLike<number>, eps: number): Float64Array {
  const perGroup = shape[1] / numGroups;
  const channelOf = (i: number) => coordsOf(i, shape)[1];
  const groupOf = (i: number) =>
      coordsOf(i, shape)[0] * numGroups + Math.floor(channelOf(i) / perGroup);
  const count = perGroup * sizeOf(shape.slice(2));
  const mean = new Float64Array(shape[0] * numGroups);
  const variance = new Float64Array(mean.length);
  for (let i = 0; i < x.length; i++) {
    mean[groupOf(i)] += x[i] / count;
  }
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean[groupOf(i)];
    variance[groupOf(i)] += d * d / count;
  }
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const g = groupOf(i);
    const c = channelOf(i);
    y[i] = (x[i] - mean[g]) / Math.sqrt(variance[g] + eps) * gamma[c] + beta[c];
  }
  return y;
}

/** Per-channel mean and BIASED variance over every axis but `axis`; count = values per channel. */
export function channelStatsRef(x: ArrayLike<number>, shape: number[], axis: number):
    {mean: Float64Array, variance: Float64Array, count: number} {
  const channels = shape[axis];
  const count = sizeOf(shape) / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    mean[coordsOf(i, shape)[axis]] += x[i] / count;
  }
  for (let i = 0; i < x.length; i++) {
    const c = coordsOf(i, shape)[axis];
    variance[c] += (x[i] - mean[c]) * (x[i] - mean[c]) / count;
  }
  return {mean, variance, count};
}

export interface BatchNormRefArgs {
  /** Channel axis: 1 for NCHW, rank - 1 for NHWC. */
  axis: number;
  training: boolean;
  runningMean: ArrayLike<number>;
  runningVar: ArrayLike<number>;
  gamma: ArrayLike<number>;
  beta: ArrayLike<number>;
  eps: number;
}

/**
 * BatchNorm output: batch mean / biased batch variance in training, the
 * running statistics in inference.
 */
export function batchNormRef(x: ArrayLike<number>, shape: number[], a: BatchNormRefArgs):
    Float64Array {
  const {mean, variance} = a.training ?
      channelStatsRef(x, shape, a.axis) :
      {mean: a.runningMean, variance: a.runningVar};
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = coordsOf(i, shape)[a.axis];
    y[i] = (x[i] - mean[c]) / Math.sqrt(variance[c] + a.eps) * a.gamma[c] + a.beta[c];
  }
  return y;
}

/**
 * Running statistics after training steps on each batch in turn, op-level
 * momentum: new = (1 - momentum) * running + momentum * batch. 'unbiased'
 * feeds var * M / (M - 1) to the variance update; with M == 1 it leaves the
 * running variance unchanged (the package's documented choice).
 */
export function runningStatsRef(
    batches: Array<ArrayLike<number>>, shape: number[], axis: number,
    runningMean: ArrayLike<number>, runningVar: ArrayLike<number>, momentum: number,
    varianceUpdate: 'unbiased'|'biased'): {mean: Float64Array, variance: Float64Array} {
  const mean = Float64Array.from(runningMean);
  const variance = Float64Array.from(runningVar);
  for (const x of batches) {
    const batch = channelStatsRef(x, shape, axis);
    const m = batch.count;
    for (let c = 0; c < mean.length; c++) {
      mean[c] = (1 - momentum) * mean[c] + momentum * batch.mean[c];
      if (varianceUpdate === 'biased') {
        variance[c] = (1 - momentum) * variance[c] + momentum * batch.variance[c];
      } else if (m > 1) {
        variance[c] = (1 - momentum) * variance[c] + momentum * batch.variance[c] * m / (m - 1);
      }
    }
  }
  return {mean, variance};
}

// ---------------------------------------------------------------------------
// float64 reference: the backward pass shared by every standardizing op

/** How a standardizing op groups the elements of x (see normalizeGradRef). */
export interface StandardizeLayout {
  /** Statistics group of element i (a BatchNorm channel, a GroupNorm (n, g), a LayerNorm row). */
  groupOf(i: number): number;
  numGroups: number;
  /** gamma/beta index of element i. */
  paramOf(i: number): number;
  numParams: number;
}

/**
 * Gradients of y = (x - mean) * rstd * gamma + beta (biased statistics per
 * group) for an upstream dy, by the analytic formula in float64:
 * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma, plus
 * the optional dmean / dvariance reaching the statistics outputs. With
 * `fixedStats` (BatchNorm inference) the statistics are constants and
 * dx = g * rstd.
 */
export function normalizeGradRef(
    x: ArrayLike<number>, dy: ArrayLike<number>, layout: StandardizeLayout, gamma: ArrayLike<number>,
    eps: number, options: {
      fixedStats?: {mean: ArrayLike<number>, variance: ArrayLike<number>},
      dmean?: ArrayLike<number>,
      dvariance?: ArrayLike<number>,
    } = {}): {dx: Float64Array, dgamma: Float64Array, dbeta: Float64Array} {
  const {groupOf, paramOf} = layout;
  const count = new Float64Array(layout.numGroups);
  let mean = new Float64Array(layout.numGroups);
  let variance = new Float64Array(layout.numGroups);
  for (let i = 0; i < x.length; i++) {
    count[groupOf(i)]++;
    mean[groupOf(i)] += x[i];
  }
  mean = mean.map((s, g) => s / count[g]);
  for (let i = 0; i < x.length; i++) {
    variance[groupOf(i)] += (x[i] - mean[groupOf(i)]) ** 2;
  }
  variance = variance.map((s, g) => s / count[g]);
  if (options.fixedStats != null) {
    mean = Float64Array.from(options.fixedStats.mean);
    variance = Float64Array.from(options.fixedStats.variance);
  }
  const rstd = variance.map(v => 1 / Math.sqrt(v + eps));
  const xhat = (i: number) => (x[i] - mean[groupOf(i)]) * rstd[groupOf(i)];
  const dgamma = new Float64Array(layout.numParams);
  const dbeta = new Float64Array(layout.numParams);
  const meanG = new Float64Array(layout.numGroups);
  const meanGXhat = new Float64Array(layout.numGroups);
  for (let i = 0; i < x.length; i++) {
    const g = dy[i] * gamma[paramOf(i)];
    dgamma[paramOf(i)] += dy[i] * xhat(i);
    dbeta[paramOf(i)] += dy[i];
    meanG[groupOf(i)] += g / count[groupOf(i)];
    meanGXhat[groupOf(i)] += g * xhat(i) / count[groupOf(i)];
  }
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const k = groupOf(i);
    const g = dy[i] * gamma[paramOf(i)];
    dx[i] = options.fixedStats != null ? g * rstd[k] :
                                         rstd[k] * (g - meanG[k] - xhat(i) * meanGXhat[k]);
    dx[i] += (options.dmean?.[k] ?? 0) / count[k] +
        (options.dvariance?.[k] ?? 0) * 2 * (x[i] - mean[k]) / count[k];
  }
  return {dx, dgamma, dbeta};
}
