// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers} from '../../src';
import {expectClose, expectNoLeak, groupNormRef, randomValues, rng, seedCases, seedShape, seedValues, take} from '../test_util';
import {convThen, fitsRandomData} from './layer_models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});


describe('GroupNorm layer', () => {
  it('reproduces the seed case (ones in, zeros out)', () => {
    const c = seedCases('GroupNorm')[0];
    const a = c.args as {num_groups: number, num_channels: number, eps: number, affine: boolean};
    const layer = layers.groupNorm(
        {numGroups: a.num_groups, numChannels: a.num_channels, eps: a.eps, affine: a.affine});
    const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
    expectClose(take(layer.apply(x) as tf.Tensor), seedValues(c, 'expected'), c.atol ?? 1e-6);
    x.dispose();
  });

  it('matches the float64 reference with given gamma/beta, in train and inference alike', () => {
    const gamma = [1, 2, 0.5, -1, 3, 1];
    const beta = [0, 0.1, 0.2, 0.3, -1, 2];
    const layer = layers.groupNorm({numGroups: 3, numChannels: 6, gammaInit: gamma, betaInit: beta});
    const shape = [2, 6, 3, 2];
    const xv = randomValues(72, rng(5), -2, 2);
    const x = tf.tensor(xv, shape);
    const expected = groupNormRef(xv, shape, 3, gamma, beta, 1e-5);
    expectClose(take(layer.apply(x) as tf.Tensor), expected, 1e-5, 1e-5);
    expectClose(take(layer.apply(x, {training: true}) as tf.Tensor), expected, 1e-5, 1e-5);
    x.dispose();
  });

  it('trains gamma/beta with fit() after a channelsFirst Conv2D; affine=false keeps them fixed', async () => {
    for (const affine of [true, false]) {
      const model = convThen(layers.groupNorm({numGroups: 2, numChannels: 4, affine}),
                             {inputShape: [2, 5, 5], filters: 4}, 5);
      model.compile({optimizer: tf.train.adam(0.02), loss: 'meanSquaredError'});
      const gn = model.layers[1];
      expect(gn.trainableWeights.length).toBe(affine ? 2 : 0);
      const {x, y} = await fitsRandomData(model, [6, 2, 5, 5], 31, 10);
      const gamma = Array.from(gn.weights[0].read().dataSync());
      expect(gamma.some(v => v !== 1)).toBe(affine);
      expectNoLeak(() => take(model.predict(x) as tf.Tensor));
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('rejects bad configs at construction and bad inputs at build', () => {
    expect(() => layers.groupNorm({numGroups: 4, numChannels: 6}))
        .toThrow(/GroupNorm: 'numChannels' \(6\) must be divisible by 'numGroups' \(4\)/);
    expect(() => layers.groupNorm({numGroups: 0, numChannels: 6}))
        .toThrow(/GroupNorm: 'numGroups' must be an integer >= 1, but got 0/);
    expect(() => layers.groupNorm({numGroups: 2, numChannels: 6, eps: -1}))
        .toThrow(/GroupNorm: 'eps' must be a finite number > 0, but got -1/);
    expect(() => layers.groupNorm({numGroups: 2, numChannels: 4, gammaInit: [1, 2]}))
        .toThrow(/GroupNorm: 'gammaInit' must be 4 numbers/);
    expect(() => tfl.sequential({layers: [layers.groupNorm({numGroups: 2, numChannels: 4, inputShape: [6, 3]})]}))
        .toThrow(/GroupNorm: input has 6 channels on axis 1, but 'numChannels' is 4/);
  });
});
