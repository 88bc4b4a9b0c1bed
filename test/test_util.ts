// SPDX-License-Identifier: Apache-2.0
/**
 * Shared test helpers: seeded random data, tolerant comparison, leak checks,
 * float64 reference implementations, float64 central differences and the
 * fit() specs' training run.
 * References here are written from SEMANTICS (the formulas), never from the
 * code under test.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as kernelNames from '../src/kernel_names';

export {SeedCase, seedCases, seedShape, seedValues} from './fixtures/seeds';
import {seededRandom as rng} from '../tools/seeded_random';

/** Deterministic PRNG (mulberry32), so failures reproduce. */
export {rng};

/** Uniform values in [lo, hi), rounded to float32 so references see the same inputs. */
export function randomValues(size: number, next: () => number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = lo + (hi - lo) * next();
  }
  return out;
}

/**
 * Seeded inputs of a normalization with an affine transform: x of `shape`
 * uniform in `xRange`, then `paramSize` values each of gamma in [0.5, 1.5) and
 * beta in [-1, 1). `next` continues the same sequence.
 */
export function affineInputs(shape: number[], paramSize: number, seed: number,
                             xRange: [number, number] = [-2, 2]):
    {x: Float32Array, gamma: Float32Array, beta: Float32Array, next: () => number} {
  const next = rng(seed);
  const x = randomValues(sizeOf(shape), next, xRange[0], xRange[1]);
  return {x, gamma: randomValues(paramSize, next, 0.5, 1.5), beta: randomValues(paramSize, next, -1, 1), next};
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

/**
 * max |actual - expected| <= tol * scale with scale = max(1, max |expected|):
 * "within tol relative to the output's scale" (an output near 1e4, such as a
 * mean, is held to tol * 1e4). The message names the worst element.
 */
export function expectWithinScale(
    actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  expect({what, length: actual.length}).toEqual({what, length: expected.length});
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  if (!(worst <= tol * scale)) {
    throw new Error(`${what}: index ${at}: expected ${expected[at]}, got ${actual[at]} ` +
                    `(|diff| ${worst} > ${tol} * scale ${scale})`);
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
// float64 references: every standardizing op (from SEMANTICS.md)
//
// GroupNorm, BatchNorm, LayerNorm and InstanceNorm all compute
// y = (x - mean) / sqrt(var + eps) * gamma + beta with biased statistics per
// group of elements; they differ only in the grouping (a layout).

/** How a standardizing op groups the elements of x. */
export interface StandardizeLayout {
  /** Statistics group of element i (a BatchNorm channel, a GroupNorm (n, g), a LayerNorm row). */
  groupOf(i: number): number;
  numGroups: number;
  /** gamma/beta index of element i. */
  paramOf(i: number): number;
  numParams: number;
}

/** Row-major index of coords within dims. */
function flatIndex(coords: number[], dims: number[]): number {
  return coords.reduce((acc, c, d) => acc * dims[d] + c, 0);
}

/** LayerNorm: rows over axes [bna, rank), gamma/beta of shape shape[bpa:]. */
export function layerNormLayout(shape: number[], bna: number, bpa: number): StandardizeLayout {
  const groupShape = shape.slice(0, bna);
  const paramShape = shape.slice(bpa);
  return {
    groupOf: i => flatIndex(coordsOf(i, shape).slice(0, bna), groupShape),
    numGroups: sizeOf(groupShape),
    paramOf: i => flatIndex(coordsOf(i, shape).slice(bpa), paramShape),
    numParams: sizeOf(paramShape),
  };
}

/** GroupNorm on (N, C, *): per sample and group of C / numGroups channels, gamma/beta per channel. */
export function groupNormLayout(shape: number[], numGroups: number): StandardizeLayout {
  const perGroup = shape[1] / numGroups;
  const channelOf = (i: number) => coordsOf(i, shape)[1];
  return {
    groupOf: i => coordsOf(i, shape)[0] * numGroups + Math.floor(channelOf(i) / perGroup),
    numGroups: shape[0] * numGroups,
    paramOf: channelOf,
    numParams: shape[1],
  };
}

/** BatchNorm: per channel on `axis` over every other axis. */
export function channelLayout(shape: number[], axis: number): StandardizeLayout {
  const channelOf = (i: number) => coordsOf(i, shape)[axis];
  return {groupOf: channelOf, numGroups: shape[axis], paramOf: channelOf, numParams: shape[axis]};
}

/** Mean and BIASED variance per group (two passes); count = elements per group. */
export function groupStatsRef(x: ArrayLike<number>, layout: StandardizeLayout):
    {mean: Float64Array, variance: Float64Array, count: Float64Array} {
  const count = new Float64Array(layout.numGroups);
  const sum = new Float64Array(layout.numGroups);
  for (let i = 0; i < x.length; i++) {
    count[layout.groupOf(i)]++;
    sum[layout.groupOf(i)] += x[i];
  }
  const mean = sum.map((s, g) => s / count[g]);
  const squares = new Float64Array(layout.numGroups);
  for (let i = 0; i < x.length; i++) {
    squares[layout.groupOf(i)] += (x[i] - mean[layout.groupOf(i)]) ** 2;
  }
  return {mean, variance: squares.map((s, g) => s / count[g]), count};
}

/** y with the group statistics of x, or with fixed ones (BatchNorm inference). */
export function standardizeRef(
    x: ArrayLike<number>, layout: StandardizeLayout, gamma: ArrayLike<number>,
    beta: ArrayLike<number>, eps: number,
    fixedStats?: {mean: ArrayLike<number>, variance: ArrayLike<number>}): Float64Array {
  const {mean, variance} = fixedStats ?? groupStatsRef(x, layout);
  return Float64Array.from(x, (v, i) => {
    const g = layout.groupOf(i);
    const p = layout.paramOf(i);
    return (v - mean[g]) / Math.sqrt(variance[g] + eps) * gamma[p] + beta[p];
  });
}

/**
 * Gradients of standardizeRef for an upstream dy, by the analytic formula in
 * float64: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with
 * g = dy * gamma, plus the optional dmean / dvariance reaching the
 * statistics outputs. With `fixedStats` (BatchNorm inference) the statistics
 * are constants and dx = g * rstd.
 */
export function normalizeGradRef(
    x: ArrayLike<number>, dy: ArrayLike<number>, layout: StandardizeLayout, gamma: ArrayLike<number>,
    eps: number, options: {
      fixedStats?: {mean: ArrayLike<number>, variance: ArrayLike<number>},
      dmean?: ArrayLike<number>,
      dvariance?: ArrayLike<number>,
    } = {}): {dx: Float64Array, dgamma: Float64Array, dbeta: Float64Array} {
  const {groupOf, paramOf} = layout;
  const batch = groupStatsRef(x, layout);
  const {mean, variance} = options.fixedStats ?? batch;
  const count = batch.count;
  const rstd = Float64Array.from(variance, v => 1 / Math.sqrt(v + eps));
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
  const layout = layerNormLayout(shape, bna, bpa);
  const {mean, variance} = groupStatsRef(x, layout);
  return {y: standardizeRef(x, layout, gamma, beta, eps), mean, variance};
}

/** GroupNorm on (N, C, *): biased statistics per sample and group of C / numGroups channels. */
export function groupNormRef(
    x: ArrayLike<number>, shape: number[], numGroups: number, gamma: ArrayLike<number>,
    beta: ArrayLike<number>, eps: number): Float64Array {
  return standardizeRef(x, groupNormLayout(shape, numGroups), gamma, beta, eps);
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

/** Per-channel mean and BIASED variance over every axis but `axis`; count = values per channel. */
export function channelStatsRef(x: ArrayLike<number>, shape: number[], axis: number):
    {mean: Float64Array, variance: Float64Array, count: number} {
  const {mean, variance} = groupStatsRef(x, channelLayout(shape, axis));
  return {mean, variance, count: sizeOf(shape) / shape[axis]};
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
  const fixedStats = a.training ? undefined : {mean: a.runningMean, variance: a.runningVar};
  return standardizeRef(x, channelLayout(shape, a.axis), a.gamma, a.beta, a.eps, fixedStats);
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


/** Every kernel name of the package (src/kernel_names.ts), so no test list can miss one. */
export const KERNEL_NAMES: string[] =
    Object.values(kernelNames).filter(v => typeof v === 'string' && v.startsWith('Ms'));

/** float64 reference of PyTorch's normalize: x / max(||x||_p over axes, eps). */
export function torchNormalizeRef(
    x: ArrayLike<number>, shape: number[], p: number, axes: number[], eps: number): Float64Array {
  const keyOf = (i: number) =>
      coordsOf(i, shape).map((c, d) => (axes.includes(d) ? 0 : c)).join(',');
  const acc = new Map<string, number>();
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    const term = p === Infinity ? a : p === 0 ? (a !== 0 ? 1 : 0) : Math.pow(a, p);
    const k = keyOf(i);
    const prev = acc.get(k) ?? 0;
    acc.set(k, p === Infinity ? Math.max(prev, term) : prev + term);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const s = acc.get(keyOf(i))!;
    const norm = p === Infinity || p === 0 ? s : Math.pow(s, 1 / p);
    out[i] = x[i] / Math.max(norm, eps);
  }
  return out;
}

/**
 * float64 reference of PyTorch's LocalResponseNorm on (N, C, *):
 * x[c] / (k + alpha / size * sum_{c' in [c - floor(size/2), c + floor((size-1)/2)]} x[c']^2)^beta.
 */
export function torchLrnRef(
    x: ArrayLike<number>, shape: number[], size: number, alpha: number, beta: number,
    k: number): Float64Array {
  const [n, c] = shape;
  const inner = sizeOf(shape.slice(2));
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < inner; p++) {
        let sum = 0;
        // The window clipped to the channels that exist (the others add zeros).
        const first = Math.max(ch - Math.floor(size / 2), 0);
        const last = Math.min(ch + Math.floor((size - 1) / 2), c - 1);
        for (let j = first; j <= last; j++) {
          const v = x[(b * c + j) * inner + p];
          sum += v * v;
        }
        const i = (b * c + ch) * inner + p;
        out[i] = x[i] / Math.pow(k + (alpha / size) * sum, beta);
      }
    }
  }
  return out;
}

/**
 * MindSpore RmsNorm over the last `gammaSize` values of each row (x viewed as
 * [rows, gammaSize]): rstd = 1 / sqrt(mean(x^2) + eps), y = x * rstd * gamma.
 */
export function rmsNormRef(x: ArrayLike<number>, gamma: ArrayLike<number>, eps: number):
    {y: Float64Array, rstd: Float64Array} {
  const m = gamma.length;
  const rows = m === 0 ? 0 : x.length / m;
  const y = new Float64Array(x.length);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let i = 0; i < m; i++) {
      sq += x[r * m + i] * x[r * m + i];
    }
    rstd[r] = 1 / Math.sqrt(sq / m + eps);
    for (let i = 0; i < m; i++) {
      y[r * m + i] = x[r * m + i] * rstd[r] * gamma[i];
    }
  }
  return {y, rstd};
}

/** What a training run returns: plain data, so it crosses page.evaluate. */
export interface TrainResult {
  backend: string;
  losses: number[];
  weights: Record<string, number[]>;
  prediction: number[];
  leaked: number;
}

export interface FitPlan {
  /** Features of the [8, inputSize] input; the targets are [8, 1]. */
  inputSize: number;
  /** Seed of the random inputs and targets. */
  seed: number;
  epochs: number;
  /** Called after training, before the prediction (e.g. to switch modes). */
  beforePredict?: (model: tfl.LayersModel) => void;
}

/**
 * The training run of the fit() specs (test/specs/*layers_fit.test.ts), in
 * Node or in the page (as `h.refs.fitAndRead`): sets the backend, builds a
 * sequential model of `layers` (`seeded(n)`: a glorot-uniform initializer
 * seeded n), trains it with fit() (SGD 0.1, mean squared error, batches of 4,
 * no shuffling) on seeded random data, and reads the losses, every weight by
 * its original name, the prediction on the training inputs and the tensors
 * left behind.
 */
export async function fitAndRead(
    backendName: string,
    layers: (seeded: (seed: number) => ReturnType<typeof tfl.initializers.glorotUniform>) => tfl.layers.Layer[],
    plan: FitPlan): Promise<TrainResult> {
  await tf.setBackend(backendName);
  // tfjs's per-kernel leak check (IS_TEST) flags tfjs-wasm's own matMul
  // gradient; the tensor count below is this run's leak check.
  const isTest = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', isTest && backendName !== 'wasm');
  const before = tf.memory().numTensors;
  const model = tfl.sequential({layers: layers(seed => tfl.initializers.glorotUniform({seed}))});
  const optimizer = tf.train.sgd(0.1);
  model.compile({optimizer, loss: 'meanSquaredError'});
  const next = rng(plan.seed);
  const x = tf.tensor(randomValues(8 * plan.inputSize, next), [8, plan.inputSize]);
  const y = tf.tensor(randomValues(8, next), [8, 1]);
  const history = await model.fit(x, y, {epochs: plan.epochs, batchSize: 4, shuffle: false, verbose: 0});
  const weights: Record<string, number[]> = {};
  for (const w of model.weights) {
    weights[w.originalName] = Array.from(await w.read().data());
  }
  plan.beforePredict?.(model);
  const p = model.predict(x) as tf.Tensor;
  const prediction = Array.from(await p.data());
  tf.dispose([x, y, p]);
  model.dispose();
  optimizer.dispose();
  tf.env().set('IS_TEST', isTest);
  return {
    backend: tf.getBackend(),
    losses: history.history['loss'] as number[],
    weights,
    prediction,
    leaked: tf.memory().numTensors - before,
  };
}
