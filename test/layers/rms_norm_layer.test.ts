// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers} from '../../src';
import {centralDiff, expectClose, expectNoLeak, randomValues, rmsNormRef, rng} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Mean squared error of the float64 RMSNorm output against `target`. */
function mseRef(x: ArrayLike<number>, w: ArrayLike<number>, target: ArrayLike<number>, eps: number) {
  const {y} = rmsNormRef(x, w, eps);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    s += (y[i] - target[i]) ** 2;
  }
  return s / y.length;
}

describe('layers.RMSNorm (mindformers LlamaRMSNorm)', () => {
  it('has one trainable weight named `weight`, ones, of shape normalizedShape', () => {
    const layer = layers.rmsNorm({normalizedShape: 4});
    layer.build([null, 3, 4]);
    expect(layer.weights.map(w => [w.originalName.split('/').pop(), w.shape, w.trainable]))
        .toEqual([['weight', [4], true]]);
    expect(Array.from(layer.weights[0].read().dataSync())).toEqual([1, 1, 1, 1]);
    expect(layer.eps).toBe(1e-6);
  });

  it('computes x / sqrt(mean(x^2) + eps) * weight over the trailing normalizedShape dims', () => {
    const next = rng(3);
    const xv = randomValues(2 * 3 * 4, next, -2, 2);
    const wv = randomValues(12, next, 0.5, 1.5);
    const layer = layers.rmsNorm({normalizedShape: [3, 4], eps: 1e-5});
    const x = tf.tensor(xv, [2, 3, 4]);
    layer.apply(x);
    layer.setWeights([tf.tensor(wv, [3, 4])]);
    const y = expectNoLeak(() => {
      const out = layer.apply(x) as tf.Tensor;
      const v = Array.from(out.dataSync());
      out.dispose();
      return v;
    });
    expectClose(y, rmsNormRef(xv, wv, 1e-5).y, 1e-6, 1e-5);
    x.dispose();
    layer.dispose();
  });

  it('is the same in training and inference', () => {
    const layer = layers.rmsNorm({normalizedShape: 3});
    const x = tf.tensor([[1, 2, 3], [-1, 0.5, 2]]);
    const a = layer.apply(x, {training: true}) as tf.Tensor;
    const b = layer.apply(x, {training: false}) as tf.Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('trains with fit(): one SGD step moves `weight` by -lr * dLoss/dweight (float64 differences)',
     async () => {
       const next = rng(11);
       const xv = randomValues(3 * 4, next, -2, 2);
       const tv = randomValues(3 * 4, next, -1, 1);
       const input = tfl.input({shape: [4]});
       const model = tfl.model(
           {inputs: input, outputs: layers.rmsNorm({normalizedShape: 4}).apply(input) as tfl.SymbolicTensor});
       const lr = 0.1;
       model.compile({optimizer: tf.train.sgd(lr), loss: 'meanSquaredError'});
       const x = tf.tensor(xv, [3, 4]);
       const t = tf.tensor(tv, [3, 4]);
       await model.fit(x, t, {epochs: 1, batchSize: 3, shuffle: false, verbose: 0});
       const grad = centralDiff(w => [mseRef(xv, w, tv, 1e-6)], [1, 1, 1, 1], [1]);
       const expected = Array.from(grad, g => 1 - lr * g);
       expectClose(model.getWeights()[0].dataSync(), expected, 1e-5, 1e-4);
       tf.dispose([x, t]);
       model.dispose();
     });

  it('round-trips through model.save / loadLayersModel (config and weight)', async () => {
    const input = tfl.input({shape: [2, 5]});
    const layer = layers.rmsNorm({normalizedShape: [5], eps: 1e-4});
    const model = tfl.model({inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor});
    model.setWeights([tf.tensor([0.5, 1, 1.5, 2, 2.5])]);
    let artifacts: tf.io.ModelArtifacts|undefined;
    await model.save(tf.io.withSaveHandler(async a => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[1].getClassName()).toBe('RMSNorm');
    expect(loaded.layers[1].getConfig()).toEqual(layer.getConfig());
    expect(loaded.weights.map(w => w.originalName)).toEqual(model.weights.map(w => w.originalName));
    const x = tf.tensor(randomValues(10, rng(5), -2, 2), [1, 2, 5]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expectClose(b.dataSync(), a.dataSync(), 0);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
