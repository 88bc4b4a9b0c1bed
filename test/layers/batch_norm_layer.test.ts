// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers, setTrain} from '../../src';
import {expectClose, expectNoLeak, randomValues, rng, seedCases, seedShape, seedValues, take} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * float64 MindSpore BatchNorm (SEMANTICS.md): per channel over all other axes;
 * training normalizes with the biased batch variance and updates
 * moving = m * moving + (1 - m) * batch (unbiased variance unless 'biased').
 */
class BatchNormSim {
  mean: Float64Array;
  variance: Float64Array;
  constructor(
      readonly c: number, readonly momentum: number, readonly eps: number,
      readonly gamma: number[], readonly beta: number[], readonly biasedUpdate = false) {
    this.mean = new Float64Array(c);
    this.variance = new Float64Array(c).fill(1);
  }

  /** x as rows of [n][c][rest] flattened NCHW-style with `inner` values per (n, c). */
  step(x: ArrayLike<number>, n: number, inner: number, training: boolean): Float64Array {
    const {c} = this;
    const m = n * inner;
    const bm = new Float64Array(c);
    const bv = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < inner; i++) {
          s += x[(b * c + ch) * inner + i];
        }
      }
      bm[ch] = s / m;
      let q = 0;
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < inner; i++) {
          q += (x[(b * c + ch) * inner + i] - bm[ch]) ** 2;
        }
      }
      bv[ch] = q / m;
    }
    const out = new Float64Array(x.length);
    for (let ch = 0; ch < c; ch++) {
      const mu = training ? bm[ch] : this.mean[ch];
      const v = training ? bv[ch] : this.variance[ch];
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < inner; i++) {
          const k = (b * c + ch) * inner + i;
          out[k] = (x[k] - mu) / Math.sqrt(v + this.eps) * this.gamma[ch] + this.beta[ch];
        }
      }
    }
    if (training) {
      for (let ch = 0; ch < c; ch++) {
        const upd = this.biasedUpdate ? bv[ch] : bv[ch] * m / (m - 1);
        this.mean[ch] = this.momentum * this.mean[ch] + (1 - this.momentum) * bm[ch];
        this.variance[ch] = this.momentum * this.variance[ch] + (1 - this.momentum) * upd;
      }
    }
    return out;
  }
}

function weightValues(layer: tfl.layers.Layer, name: string): number[] {
  const w = layer.weights.find(v => v.originalName.endsWith(name));
  if (w == null) {
    throw new Error(`no weight ${name}`);
  }
  return Array.from(w.read().dataSync());
}

describe('BatchNorm1d layer', () => {
  const seed = seedCases('BatchNorm1d')[0];
  const args = seed.args as {num_features: number, affine: boolean, momentum: number};

  it('reproduces the seed case in training mode and updates the moving statistics', () => {
    const layer = layers.batchNorm1d(
        {numFeatures: args.num_features, affine: args.affine, momentum: args.momentum});
    const xv = seedValues(seed, 'input');
    const x = tf.tensor(xv, seedShape(seed));
    const y = take(layer.apply(x, {training: true}) as tf.Tensor);
    expectClose(y, seedValues(seed, 'expected'), seed.atol ?? 1e-5);
    const sim = new BatchNormSim(4, 0.9, 1e-5, [1, 1, 1, 1], [0, 0, 0, 0]);
    sim.step(xv, 2, 1, true);
    expectClose(weightValues(layer, 'moving_mean'), sim.mean, 1e-7);
    expectClose(weightValues(layer, 'moving_variance'), sim.variance, 1e-7);
    x.dispose();
  });

  it('starts in inference mode (MindSpore default) and never changes statistics there', () => {
    const layer = layers.batchNorm1d({numFeatures: 4});
    const xv = seedValues(seed, 'input');
    const x = tf.tensor(xv, [2, 4]);
    const y = take(layer.apply(x) as tf.Tensor);
    expectClose(y, xv.map(v => v / Math.sqrt(1 + 1e-5)), 1e-6);
    take(layer.apply(x, {training: false}) as tf.Tensor);
    expectClose(weightValues(layer, 'moving_mean'), [0, 0, 0, 0], 0);
    expectClose(weightValues(layer, 'moving_variance'), [1, 1, 1, 1], 0);
    x.dispose();
  });

  it('follows useBatchStatistics, then the training kwarg, then setTrain', () => {
    const xv = randomValues(12, rng(3));
    const x = tf.tensor(xv, [3, 4]);
    const run = (layer: tfl.layers.Layer, kwargs?: {training: boolean}) => {
      const before = weightValues(layer, 'moving_mean');
      take(layer.apply(x, kwargs) as tf.Tensor);
      return weightValues(layer, 'moving_mean').some((v, i) => v !== before[i]);
    };
    const table: Array<[boolean|null, boolean|undefined, boolean, boolean]> = [
      // useBatchStatistics, training kwarg, setTrain mode, expect update
      [true, false, false, true],
      [true, undefined, false, true],
      [false, true, true, false],
      [false, undefined, true, false],
      [null, true, false, true],
      [null, false, true, false],
      [null, undefined, true, true],
      [null, undefined, false, false],
    ];
    for (const [ubs, training, mode, updates] of table) {
      const layer = layers.batchNorm1d({numFeatures: 4, useBatchStatistics: ubs}).setTrain(mode);
      layer.build([null, 4]);
      expect([ubs, training, mode, run(layer, training == null ? undefined : {training})])
          .toEqual([ubs, training, mode, updates]);
    }
    x.dispose();
  });

  it('matches a float64 simulation over several steps for both variance updates', () => {
    for (const varianceUpdate of ['unbiased', 'biased'] as const) {
      const gamma = [0.5, 2, -1];
      const beta = [0.1, 0, -0.3];
      const layer = layers.batchNorm1d({
        numFeatures: 3, momentum: 0.7, eps: 1e-3, gammaInit: gamma, betaInit: beta, varianceUpdate,
      });
      const sim = new BatchNormSim(3, 0.7, 1e-3, gamma, beta, varianceUpdate === 'biased');
      const next = rng(varianceUpdate.length);
      for (let step = 0; step < 4; step++) {
        const xv = randomValues(2 * 3 * 5, next, -2, 3);
        const x = tf.tensor(xv, [2, 3, 5]);  // (N, C, L)
        const y = take(layer.apply(x, {training: true}) as tf.Tensor);
        expectClose(y, sim.step(xv, 2, 5, true), 1e-5, 1e-5);
        x.dispose();
      }
      expectClose(weightValues(layer, 'moving_mean'), sim.mean, 1e-6, 1e-6);
      expectClose(weightValues(layer, 'moving_variance'), sim.variance, 1e-6, 1e-6);
      const xv = randomValues(2 * 3 * 5, next);
      const x = tf.tensor(xv, [2, 3, 5]);
      expectClose(take(layer.apply(x) as tf.Tensor), sim.step(xv, 2, 5, false), 1e-5, 1e-5);
      x.dispose();
    }
  });

  it('has trainable gamma/beta only with affine, and never-trainable moving statistics', () => {
    const names = (ws: tfl.LayerVariable[]) => ws.map(w => w.originalName.split('/').pop());
    const on = layers.batchNorm1d({numFeatures: 2});
    on.build([null, 2]);
    expect(names(on.trainableWeights)).toEqual(['gamma', 'beta']);
    expect(names(on.nonTrainableWeights)).toEqual(['moving_mean', 'moving_variance']);
    const off = layers.batchNorm1d({numFeatures: 2, affine: false, gammaInit: [2, 3]});
    off.build([null, 2]);
    expect(off.trainableWeights).toEqual([]);
    expect(names(off.nonTrainableWeights)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    // affine = false still applies gamma and beta (MindSpore).
    const x = tf.tensor([[1, 1], [3, 5]]);
    expectClose(take(off.apply(x, {training: true}) as tf.Tensor),
        [-2 / Math.sqrt(1 + 1e-5), -6 / Math.sqrt(4 + 1e-5), 2 / Math.sqrt(1 + 1e-5), 6 / Math.sqrt(4 + 1e-5)], 1e-5);
    x.dispose();
  });

  it('rejects bad configs at construction', () => {
    const cases: Array<[object, RegExp]> = [
      [{numFeatures: 0}, /BatchNorm1d: 'numFeatures' must be an integer >= 1, but got 0/],
      [{numFeatures: 2.5}, /'numFeatures' must be an integer >= 1, but got 2.5/],
      [{numFeatures: 2, momentum: 1.5}, /BatchNorm1d: 'momentum' must be a number in range \[0, 1\], but got 1.5/],
      [{numFeatures: 2, eps: 0}, /'eps' must be a finite number > 0, but got 0/],
      [{numFeatures: 2, dataFormat: 'NCW'}, /'dataFormat' must be one of 'NCHW', 'NHWC', but got 'NCW'/],
      [{numFeatures: 2, varianceUpdate: 'sample'}, /'varianceUpdate' must be one of 'unbiased', 'biased', but got 'sample'/],
      [{numFeatures: 2, useBatchStatistics: 'yes'}, /'useBatchStatistics' must be one of true, false, null, but got 'yes'/],
      [{numFeatures: 2, gammaInit: [1, 2, 3]}, /BatchNorm1d: 'gammaInit' must be 2 numbers \(one per channel\), but got \[1, 2, 3\]/],
      [{numFeatures: 2, betaInit: 'glorious'}, /BatchNorm1d: 'betaInit' must be an initializer name/],
      [{numFeatures: 2, affine: 1}, /'affine' must be true or false, but got 1/],
    ];
    for (const [config, msg] of cases) {
      expect(() => layers.batchNorm1d(config as {numFeatures: number})).toThrow(msg);
    }
  });

  it('checks rank and channels when the model is built', () => {
    expect(() => tfl.sequential({layers: [layers.batchNorm1d({numFeatures: 3, inputShape: [4]})]}))
        .toThrow(/BatchNorm1d: input has 4 channels on axis 1, but 'numFeatures' is 3/);
    expect(() => tfl.sequential({layers: [layers.batchNorm1d({numFeatures: 3, inputShape: [3, 2, 2]})]}))
        .toThrow(/BatchNorm1d: expected input of rank 2 \(N, C\) or rank 3 \(N, C, L\), but got input shape \[null,3,2,2\]/);
    expect(() => tfl.sequential({layers: [layers.batchNorm2d({numFeatures: 3, inputShape: [3, 2]})]}))
        .toThrow(/BatchNorm2d: expected input of rank 4/);
    expect(() => tfl.sequential({layers: [layers.batchNorm3d({numFeatures: 3, inputShape: [3, 2, 2]})]}))
        .toThrow(/BatchNorm3d: expected input of rank 5/);
  });

  it('says dataFormat: \'NHWC\' exists when channels-last data reaches an NCHW layer', () => {
    // (N, H, W, C) = (?, 8, 8, 3) into BatchNorm2d({numFeatures: 3}): axis 1 has 8.
    expect(() => tfl.sequential({layers: [layers.batchNorm2d({numFeatures: 3, inputShape: [8, 8, 3]})]}))
        .toThrow(/^BatchNorm2d: input has 8 channels on axis 1, but 'numFeatures' is 3 \(input shape \[null,8,8,3\]\)\. Its last axis has 3: for channels-last input, pass dataFormat: 'NHWC'\.$/);
    // ... also when a built layer is applied to such a tensor directly.
    const layer = layers.batchNorm2d({numFeatures: 3});
    expect(() => layer.apply(tf.zeros([1, 8, 8, 3]))).toThrow(/pass dataFormat: 'NHWC'/);
    // Channel counts that are simply wrong get no such hint; with 'NHWC' the data is accepted.
    expect(() => tfl.sequential({layers: [layers.batchNorm2d({numFeatures: 3, inputShape: [8, 8, 4]})]}))
        .toThrow(/'numFeatures' is 3 \(input shape \[null,8,8,4\]\)\.$/);
    const nhwc = layers.batchNorm2d({numFeatures: 3, dataFormat: 'NHWC'});
    const y = nhwc.apply(tf.ones([1, 8, 8, 3])) as tf.Tensor;
    expect(y.shape).toEqual([1, 8, 8, 3]);
    y.dispose();
  });
});

describe('BatchNorm in tfjs models', () => {
  it('trains with fit() in a Sequential model; moving stats equal the float64 simulation', async () => {
    // BatchNorm1d first, so its inputs (the data batches) are known to the simulation.
    const model = tfl.sequential({
      layers: [
        layers.batchNorm1d({numFeatures: 4, inputShape: [4], momentum: 0.8}),
        tfl.layers.dense({units: 1, kernelInitializer: tfl.initializers.glorotUniform({seed: 7})}),
      ],
    });
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
    const next = rng(11);
    const n = 16;
    const batch = 8;
    const xv = randomValues(n * 4, next, -1, 3);
    const x = tf.tensor(xv, [n, 4]);
    const y = tf.tensor(Array.from({length: n}, (_, i) => xv[i * 4] - 2 * xv[i * 4 + 2]), [n, 1]);
    const epochs = 5;
    const history = await model.fit(x, y, {epochs, batchSize: batch, shuffle: false, verbose: 0});
    const losses = history.history['loss'] as number[];
    expect(losses[epochs - 1]).toBeLessThan(losses[0]);
    const sim = new BatchNormSim(4, 0.8, 1e-5, [1, 1, 1, 1], [0, 0, 0, 0]);
    for (let e = 0; e < epochs; e++) {
      for (let b = 0; b < n; b += batch) {
        sim.step(xv.slice(b * 4, (b + batch) * 4), batch, 1, true);
      }
    }
    const bn = model.layers[0];
    expectClose(weightValues(bn, 'moving_mean'), sim.mean, 1e-5, 1e-5);
    expectClose(weightValues(bn, 'moving_variance'), sim.variance, 1e-5, 1e-5);

    // predict() leaves the statistics unchanged and leaks nothing.
    const mean = weightValues(bn, 'moving_mean');
    expectNoLeak(() => take(model.predict(x) as tf.Tensor));
    expect(weightValues(bn, 'moving_mean')).toEqual(mean);
    // A further fit() leaks nothing either.
    const before = tf.memory().numTensors;
    await model.fit(x, y, {epochs: 1, batchSize: batch, verbose: 0});
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('BatchNorm2d (NCHW) follows a channelsFirst Conv2D; NHWC follows channelsLast', async () => {
    for (const dataFormat of ['NCHW', 'NHWC'] as const) {
      const channelsFirst = dataFormat === 'NCHW';
      const input = tfl.input({shape: channelsFirst ? [2, 6, 6] : [6, 6, 2]});
      const conv = tfl.layers.conv2d({
        filters: 4, kernelSize: 3, dataFormat: channelsFirst ? 'channelsFirst' : 'channelsLast',
        kernelInitializer: tfl.initializers.glorotUniform({seed: 3}),
      }).apply(input) as tfl.SymbolicTensor;
      const bn = layers.batchNorm2d({numFeatures: 4, dataFormat}).apply(conv) as tfl.SymbolicTensor;
      const flat = tfl.layers.flatten().apply(bn) as tfl.SymbolicTensor;
      const out = tfl.layers.dense({units: 1, kernelInitializer: tfl.initializers.glorotUniform({seed: 4})})
          .apply(flat) as tfl.SymbolicTensor;
      const model = tfl.model({inputs: input, outputs: out});
      model.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
      const next = rng(21);
      const x = tf.tensor(randomValues(8 * 72, next), [8, ...(input.shape.slice(1) as number[])]);
      const y = tf.tensor(randomValues(8, next), [8, 1]);
      const h = await model.fit(x, y, {epochs: 8, batchSize: 8, verbose: 0});
      const losses = h.history['loss'] as number[];
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      // The moving mean moved from 0 toward the conv outputs' channel means.
      const bnLayer = model.layers[2];
      expect(weightValues(bnLayer, 'moving_mean').some(v => v !== 0)).toBe(true);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('setTrain(model, mode) switches every MindSpore layer, nested models included', () => {
    const inner = tfl.sequential({layers: [layers.batchNorm1d({numFeatures: 2, inputShape: [2]})]});
    const outer = tfl.sequential({layers: [inner, layers.batchNorm1d({numFeatures: 2})]});
    expect(setTrain(outer, true)).toBe(2);
    const x = tf.tensor([[1, 2], [3, 5]]);
    take(outer.predict(x) as tf.Tensor);
    expect(weightValues(inner.layers[0], 'moving_mean')).not.toEqual([0, 0]);
    setTrain(outer, false);
    const mean = weightValues(inner.layers[0], 'moving_mean');
    take(outer.predict(x) as tf.Tensor);
    expect(weightValues(inner.layers[0], 'moving_mean')).toEqual(mean);
    x.dispose();
    outer.dispose();
  });
});
