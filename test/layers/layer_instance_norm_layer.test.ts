// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers} from '../../src';
import {expectClose, expectNoLeak, instanceNormRef, layerNormRef, randomValues, rng, take} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LayerNorm layer', () => {
  it('uses MindSpore defaults: last axis, epsilon 1e-7', () => {
    const layer = layers.layerNorm({normalizedShape: [4]});
    expect(layer.getConfig()).toMatchObject(
        {normalizedShape: [4], beginNormAxis: -1, beginParamsAxis: -1, epsilon: 1e-7});
    // Nearly constant rows: epsilon 1e-7 (not tfjs's 1e-3) decides the result.
    const xv = [1, 1.001, 1, 1.001, 2, 2, 2, 2.002];
    const x = tf.tensor(xv, [2, 4]);
    const y = take(layer.apply(x) as tf.Tensor);
    expectClose(y, layerNormRef(xv, [2, 4], 1, 1, [1, 1, 1, 1], [0, 0, 0, 0], 1e-7).y, 2e-4, 1e-4);
    const tfjs = tfl.layers.layerNormalization({axis: -1});
    const theirs = take(tfjs.apply(x) as tf.Tensor);
    expect(Math.abs(theirs[1] - y[1])).toBeGreaterThan(0.5);  // the silent difference
    x.dispose();
  });

  it('matches the float64 reference with beginNormAxis != beginParamsAxis', () => {
    const cases: Array<[number[], number, number, number[]]> = [
      [[2, 3, 4], 1, 2, [4]],     // gamma broadcast over axis 1 inside the normalized block
      [[2, 3, 4], 2, 1, [3, 4]],  // gamma covers an axis the statistics do not reduce
      [[2, 3, 4], 1, 1, [3, 4]],
      [[2, 3, 4], -1, -1, [4]],
    ];
    for (const [shape, bna, bpa, normalizedShape] of cases) {
      const size = normalizedShape.reduce((a, b) => a * b, 1);
      const next = rng(size + bna * 10 + bpa);
      const gamma = Array.from(randomValues(size, next, 0.5, 2));
      const beta = Array.from(randomValues(size, next));
      const layer = layers.layerNorm(
          {normalizedShape, beginNormAxis: bna, beginParamsAxis: bpa, gammaInit: gamma, betaInit: beta});
      const xv = randomValues(24, next, -3, 3);
      const x = tf.tensor(xv, shape);
      const pos = (a: number) => (a < 0 ? shape.length + a : a);
      const y = take(layer.apply(x) as tf.Tensor);
      expectClose(y, layerNormRef(xv, shape, pos(bna), pos(bpa), gamma, beta, 1e-7).y, 1e-5, 1e-5);
      x.dispose();
    }
  });

  it('trains in a Sequential model after Dense and survives save/load', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({units: 6, inputShape: [5], kernelInitializer: tfl.initializers.glorotUniform({seed: 1})}),
        layers.layerNorm({normalizedShape: [6], betaInit: 'normal'}),
        tfl.layers.dense({units: 1, kernelInitializer: tfl.initializers.glorotUniform({seed: 2})}),
      ],
    });
    model.compile({optimizer: tf.train.adam(0.02), loss: 'meanSquaredError'});
    const next = rng(3);
    const xv = randomValues(40, next);
    const x = tf.tensor(xv, [8, 5]);
    const y = tf.tensor(Array.from({length: 8}, (_, i) => xv[i * 5] * 2 - xv[i * 5 + 1]), [8, 1]);
    const h = await model.fit(x, y, {epochs: 10, batchSize: 8, verbose: 0});
    const losses = h.history['loss'] as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    let artifacts: tf.io.ModelArtifacts|undefined;
    await model.save(tf.io.withSaveHandler(async a => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[1].getConfig()).toEqual(model.layers[1].getConfig());
    const a = take(model.predict(x) as tf.Tensor);
    const b = expectNoLeak(() => take(loaded.predict(x) as tf.Tensor));
    expectClose(b, a, 0);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects bad configs at construction and mismatched inputs at build', () => {
    expect(() => layers.layerNorm({normalizedShape: []}))
        .toThrow(/LayerNorm: 'normalizedShape' must be a non-empty list of positive integers, but got \[\]/);
    expect(() => layers.layerNorm({normalizedShape: [2.5]}))
        .toThrow(/'normalizedShape' must be a non-empty list of positive integers, but got \[2.5\]/);
    expect(() => layers.layerNorm({normalizedShape: [4], beginNormAxis: -2}))
        .toThrow(/LayerNorm: 'beginNormAxis' must be an integer >= -1, but got -2/);
    expect(() => layers.layerNorm({normalizedShape: [4], epsilon: -1}))
        .toThrow(/LayerNorm: 'epsilon' must be a finite number >= 0, but got -1/);
    expect(() => tfl.sequential({layers: [layers.layerNorm({normalizedShape: [5], inputShape: [4]})]}))
        .toThrow(/LayerNorm: 'normalizedShape' must equal the input shape from beginParamsAxis \(-1\) on, \[4\], but got \[5\]/);
    expect(() => tfl.sequential({layers: [layers.layerNorm({normalizedShape: [4], beginNormAxis: 2, inputShape: [4]})]}))
        .toThrow(/LayerNorm: 'beginNormAxis' must be in the range \[-1, 2\) for input shape \[null,4\], but got 2/);
  });
});

describe('InstanceNorm layers', () => {
  const variants: Array<[string, (a: {numFeatures: number}) => tfl.layers.Layer, number[]]> = [
    ['InstanceNorm1d', a => layers.instanceNorm1d(a), [2, 3, 5]],
    ['InstanceNorm2d', a => layers.instanceNorm2d(a), [2, 3, 2, 3]],
    ['InstanceNorm3d', a => layers.instanceNorm3d(a), [2, 3, 2, 2, 2]],
  ];
  for (const [name, make, shape] of variants) {
    it(`${name} normalizes each (n, c) slice in training and inference alike`, () => {
      const gamma = [1, 2, -0.5];
      const beta = [0, 0.5, 1];
      const layer = make({numFeatures: 3, gammaInit: gamma, betaInit: beta} as {numFeatures: number});
      const size = shape.reduce((a, b) => a * b, 1);
      const xv = randomValues(size, rng(size), -2, 2);
      const x = tf.tensor(xv, shape);
      const expected = instanceNormRef(xv, shape, gamma, beta, 1e-5);
      expectClose(take(layer.apply(x) as tf.Tensor), expected, 1e-5, 1e-5);
      expectClose(take(layer.apply(x, {training: true}) as tf.Tensor), expected, 1e-5, 1e-5);
      // moving statistics are held for checkpoints, never used or updated
      const names = layer.weights.map(w => w.originalName.split('/').pop());
      expect(names).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
      expect(Array.from(layer.weights[2].read().dataSync())).toEqual([0, 0, 0]);
      expect(Array.from(layer.weights[3].read().dataSync())).toEqual([1, 1, 1]);
      expect(layer.trainableWeights.length).toBe(2);
      x.dispose();
    });
  }

  it('validates momentum, numFeatures and the input rank', () => {
    expect(() => layers.instanceNorm2d({numFeatures: 3, momentum: 2}))
        .toThrow(/InstanceNorm2d: 'momentum' must be a number in range \[0, 1\], but got 2/);
    expect(() => layers.instanceNorm1d({numFeatures: -3}))
        .toThrow(/InstanceNorm1d: 'numFeatures' must be an integer >= 1, but got -3/);
    expect(() => tfl.sequential({layers: [layers.instanceNorm2d({numFeatures: 3, inputShape: [3, 4]})]}))
        .toThrow(/InstanceNorm2d: expected input of rank 4 \(N, C, H, W\), but got input shape \[null,3,4\]/);
    expect(() => tfl.sequential({layers: [layers.instanceNorm1d({numFeatures: 3, inputShape: [2, 4]})]}))
        .toThrow(/InstanceNorm1d: input has 2 channels on axis 1, but 'numFeatures' is 3/);
  });

  it('keeps affine=false gamma/beta fixed through fit() and round-trips its config', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({inputShape: [2, 4, 4], filters: 3, kernelSize: 3, dataFormat: 'channelsFirst',
                           kernelInitializer: tfl.initializers.glorotUniform({seed: 8})}),
        layers.instanceNorm2d({numFeatures: 3, affine: false, gammaInit: [1, 2, 3]}),
        tfl.layers.flatten(),
        tfl.layers.dense({units: 1, kernelInitializer: tfl.initializers.glorotUniform({seed: 9})}),
      ],
    });
    model.compile({optimizer: tf.train.adam(0.02), loss: 'meanSquaredError'});
    const next = rng(12);
    const x = tf.tensor(randomValues(6 * 32, next), [6, 2, 4, 4]);
    const y = tf.tensor(randomValues(6, next), [6, 1]);
    await model.fit(x, y, {epochs: 3, batchSize: 6, verbose: 0});
    expect(Array.from(model.layers[1].weights[0].read().dataSync())).toEqual([1, 2, 3]);
    const layer = model.layers[1];
    const cls = tf.serialization.SerializationMap.getMap().classNameMap['InstanceNorm2d'];
    const clone = cls[1](cls[0], layer.getConfig()) as unknown as tfl.layers.Layer;
    expect(clone.getConfig()).toEqual(layer.getConfig());
    tf.dispose([x, y]);
    model.dispose();
  });
});
