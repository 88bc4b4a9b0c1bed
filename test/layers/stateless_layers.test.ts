// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers} from '../../src';
import {expectClose, expectNoLeak, l2NormalizeRef, lrnRef, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from '../test_util';
import {convThen, fitsRandomData} from './layer_models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('L2Normalize layer', () => {
  it('reproduces the seed cases through tf.sequential', () => {
    for (const c of seedCases('L2Normalize')) {
      const x = tf.tensor(seedValues(c, 'input'), [1, ...seedShape(c)]);
      // axis 0 of the seed's 1-D input is axis 1 once a batch axis is added
      const model = tfl.sequential({layers: [layers.l2Normalize({axis: 1, inputShape: seedShape(c)})]});
      const y = take(model.predict(x) as tf.Tensor);
      expectClose(y, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
      x.dispose();
      model.dispose();
    }
  });

  it('defaults to MindSpore axis 0 (the batch axis) and epsilon 1e-4', () => {
    const layer = layers.l2Normalize();
    expect(layer.axis).toBe(0);
    expect(layer.epsilon).toBe(1e-4);
    const vals = randomValues(6, rng(2));
    const x = tf.tensor(vals, [3, 2]);
    expectClose(take(layer.apply(x) as tf.Tensor), l2NormalizeRef(vals, [3, 2], [0], 1e-4), 1e-6, 1e-5);
    x.dispose();
  });

  it('normalizes the features of a Dense output over several axes', () => {
    const input = tfl.input({shape: [3, 4]});
    const dense = tfl.layers.dense({units: 4, kernelInitializer: 'ones', useBias: false}).apply(input);
    const out = layers.l2Normalize({axis: [1, 2], epsilon: 1e-6}).apply(dense) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: out});
    const vals = randomValues(24, rng(4));
    const x = tf.tensor(vals, [2, 3, 4]);
    const y = take(model.predict(x) as tf.Tensor);
    // Dense with a ones kernel: every unit is the row sum.
    const dv = new Float64Array(24);
    for (let r = 0; r < 6; r++) {
      const s = vals[r * 4] + vals[r * 4 + 1] + vals[r * 4 + 2] + vals[r * 4 + 3];
      dv.fill(s, r * 4, r * 4 + 4);
    }
    expectClose(y, l2NormalizeRef(dv, [2, 3, 4], [1, 2], 1e-6), 1e-6, 1e-5);
    x.dispose();
    model.dispose();
  });

  it('round-trips its config', () => {
    const layer = layers.l2Normalize({axis: [-1], epsilon: 1e-3, name: 'l2'});
    const copy = tf.serialization.SerializationMap.getMap().classNameMap['L2Normalize'];
    const clone = copy[1](copy[0], layer.getConfig()) as unknown as typeof layer;
    expect(clone.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig()).toMatchObject({axis: [-1], epsilon: 1e-3, name: 'l2'});
  });

  it('rejects bad configs at construction', () => {
    expect(() => layers.l2Normalize({epsilon: 0})).toThrow(/L2Normalize: 'epsilon' must be a finite number > 0, but got 0/);
    expect(() => layers.l2Normalize({axis: 1.5})).toThrow(/L2Normalize: 'axis' must be an integer or a non-empty list of integers, but got 1.5/);
    expect(() => layers.l2Normalize({axis: []})).toThrow(/'axis' .* but got \[\]/);
  });
});

describe('LRN layer', () => {
  it('reproduces the seed case and matches the float64 reference', () => {
    for (const c of seedCases('LRN')) {
      const a = c.args as {depth_radius: number, bias: number, alpha: number, beta: number};
      const layer = layers.lrn({depthRadius: a.depth_radius, bias: a.bias, alpha: a.alpha, beta: a.beta});
      const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
      expectClose(take(layer.apply(x) as tf.Tensor), seedValues(c, 'expected'), c.atol ?? 0);
      x.dispose();
    }
  });

  it('follows a channelsFirst Conv2D inside a model and trains with fit()', async () => {
    const model = convThen(layers.lrn({depthRadius: 2, bias: 1, alpha: 0.1, beta: 0.75}),
                           {inputShape: [3, 5, 5], filters: 6, padding: 'same'}, 1);
    model.compile({optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError'});
    const {x, y} = await fitsRandomData(model, [8, 3, 5, 5], 9, 6);

    // The LRN output inside the model equals the float64 reference on the conv output.
    const conv = tfl.model({inputs: model.inputs, outputs: model.layers[0].output as tfl.SymbolicTensor});
    const convOut = conv.predict(x) as tf.Tensor;
    const convVals = convOut.dataSync();
    const lrnOut = take(model.layers[1].apply(convOut) as tf.Tensor);
    expectClose(lrnOut, lrnRef(convVals, [8, 6, 5, 5], 2, 1, 0.1, 0.75), 1e-6, 1e-5);
    tf.dispose([x, y, convOut]);
    model.dispose();
  });

  it('checks the input rank when the model is built', () => {
    const model = tfl.sequential();
    expect(() => model.add(layers.lrn({inputShape: [4, 4]})))
        .toThrow(/LRN: expected input of rank 4 \(N, C, H, W\), but got input shape \[null,4,4\]/);
  });

  it('round-trips its config and rejects bad configs at construction', () => {
    const layer = layers.lrn({depthRadius: 3, bias: 2, alpha: 1e-4, beta: 0.75});
    expect(layer.getConfig()).toMatchObject(
        {depthRadius: 3, bias: 2, alpha: 1e-4, beta: 0.75, normRegion: 'ACROSS_CHANNELS'});
    expect(() => layers.lrn({depthRadius: -1})).toThrow(/LRN: 'depthRadius' must be an integer >= 0, but got -1/);
    expect(() => layers.lrn({normRegion: 'WITHIN' as 'ACROSS_CHANNELS'})).toThrow(/LRN: 'normRegion' must be one of 'ACROSS_CHANNELS', but got 'WITHIN'/);
    expect(() => layers.lrn({beta: NaN})).toThrow(/LRN: 'beta' must be a finite number, but got NaN/);
  });

  it('leaks no tensors across predict', () => {
    const model = tfl.sequential({layers: [layers.lrn({inputShape: [4, 2, 2]})]});
    const x = tf.tensor(randomValues(sizeOf([3, 4, 2, 2]), rng(1)), [3, 4, 2, 2]);
    take(model.predict(x) as tf.Tensor);
    expectNoLeak(() => take(model.predict(x) as tf.Tensor));
    x.dispose();
    model.dispose();
  });
});
