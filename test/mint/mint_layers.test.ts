// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers, mint, setTrain} from '../../src';
import {affineInputs, channelStatsRef, expectClose, expectNoLeak, groupNormRef, layerNormRef, randomValues, rng, runningStatsRef, seedCases, seedShape, seedValues, sizeOf} from '../test_util';
import {expectSameLayers, saveAndLoad} from '../layers/layer_models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The layer's weights as {name: values}, names without the layer prefix. */
function weightsOf(layer: tfl.layers.Layer): Record<string, number[]> {
  return Object.fromEntries(layer.weights.map(
      w => [w.originalName.split('/').pop()!, Array.from(w.read().dataSync())]));
}

function applyValues(layer: tfl.layers.Layer, x: tf.Tensor, kwargs?: tf.serialization.ConfigDict) {
  const y = layer.apply(x, kwargs) as tf.Tensor;
  const v = Array.from(y.dataSync());
  y.dispose();
  return v;
}

// MindSpore's documented example: mint.nn.BatchNorm2d(2) on [0.3, 0.4, 0.5, 0.3] as (2, 2, 1, 1).
const DOC_X = [0.3, 0.4, 0.5, 0.3];

describe('mint.batchNorm1d/2d/3d', () => {
  it('starts in training: MindSpore\'s documented example normalizes with the batch statistics',
     () => {
       // Channel 0 holds {0.3, 0.5}: mean 0.4, biased var 0.01; channel 1 {0.4, 0.3}: 0.35, 0.0025.
       // MindSpore (Ascend) prints [[-0.99950075], [0.9980087]], [[0.999501], [-0.99800...]].
       const bn = mint.batchNorm2d({numFeatures: 2});
       const x = tf.tensor(DOC_X, [2, 2, 1, 1]);
       const a = 0.1 / Math.sqrt(0.01 + 1e-5);
       const b = 0.05 / Math.sqrt(0.0025 + 1e-5);
       expectClose(applyValues(bn, x), [-a, b, a, -b], 1e-6);
       // running = 0.9 * old + 0.1 * batch, the variance unbiased (x 2 / 1).
       const w = weightsOf(bn);
       expectClose(w['running_mean'], [0.04, 0.035], 1e-7);
       expectClose(w['running_var'], [0.9 + 0.1 * 0.02, 0.9 + 0.1 * 0.005], 1e-7);
       expect(w['num_batches_tracked']).toEqual([1]);
       x.dispose();
     });

  it('after setTrain(false) normalizes with the running statistics and leaves them alone', () => {
    // MindSpore's earlier docs print this eval-mode output: [[0.29999852], [0.399998]], ...
    const bn = mint.batchNorm2d({numFeatures: 2}).setTrain(false);
    const x = tf.tensor(DOC_X, [2, 2, 1, 1]);
    expectClose(applyValues(bn, x), DOC_X.map(v => v / Math.sqrt(1 + 1e-5)), 1e-7);
    expectClose(applyValues(bn, x), [0.29999852, 0.399998, 0.4999975, 0.29999852], 1e-7);
    expect(weightsOf(bn)).toEqual({weight: [1, 1], bias: [0, 0], running_mean: [0, 0],
                                   running_var: [1, 1], num_batches_tracked: [0]});
    x.dispose();
  });

  it('follows the training kwarg when given, the layer\'s own mode otherwise', () => {
    const x = tf.tensor(DOC_X, [2, 2, 1, 1]);
    const evalOut = DOC_X.map(v => v / Math.sqrt(1 + 1e-5));
    const bn = mint.batchNorm2d({numFeatures: 2});
    expectClose(applyValues(bn, x, {training: false}), evalOut, 1e-7);  // kwarg over training mode
    expect(weightsOf(bn)['num_batches_tracked']).toEqual([0]);
    bn.setTrain(false);
    expect(applyValues(bn, x, {training: true})[0]).toBeCloseTo(-0.9995, 4);  // kwarg over eval
    expect(weightsOf(bn)['num_batches_tracked']).toEqual([1]);
    bn.setTrain(true);
    expect(applyValues(bn, x)[0]).toBeCloseTo(-0.9995, 4);  // no kwarg: the layer's mode
    expect(weightsOf(bn)['num_batches_tracked']).toEqual([2]);
    x.dispose();
  });

  it('reproduces the seed BatchNorm1d case (nn momentum 0.9 == mint momentum 0.1, affine off)', () => {
    const [c] = seedCases('BatchNorm1d');
    const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
    const bn = mint.batchNorm1d({numFeatures: 4, affine: false});
    expectClose(applyValues(bn, x), seedValues(c, 'expected'), c.atol ?? 1e-5);
    x.dispose();
  });

  it('moves the running statistics like nn.BatchNorm1d with momentum 1 - m', () => {
    const next = rng(8);
    const batches = [0, 1, 2].map(() => tf.tensor(randomValues(5 * 3, next, -2, 2), [5, 3]));
    const ours = mint.batchNorm1d({numFeatures: 3, momentum: 0.25});
    const nn = layers.batchNorm1d({numFeatures: 3, momentum: 0.75});
    for (const b of batches) {
      expectClose(applyValues(ours, b), applyValues(nn, b, {training: true}), 1e-6);
    }
    const w = weightsOf(ours);
    const v = weightsOf(nn);
    expectClose(w['running_mean'], v['moving_mean'], 1e-6);
    expectClose(w['running_var'], v['moving_variance'], 1e-6);
    tf.dispose(batches);
  });

  it('momentum null keeps the cumulative average over num_batches_tracked', () => {
    const next = rng(9);
    const shape = [4, 2, 3];
    const values = [0, 1, 2].map(() => randomValues(sizeOf(shape), next, -2, 2));
    const bn = mint.batchNorm1d({numFeatures: 2, momentum: null});
    for (const v of values) {
      const x = tf.tensor(v, shape);
      applyValues(bn, x);
      x.dispose();
    }
    const stats = values.map(v => channelStatsRef(v, shape, 1));
    const m = stats[0].count;
    const mean = [0, 1].map(c => stats.reduce((s, st) => s + st.mean[c], 0) / 3);
    const variance = [0, 1].map(c => stats.reduce((s, st) => s + st.variance[c] * m / (m - 1), 0) / 3);
    const w = weightsOf(bn);
    expectClose(w['running_mean'], mean, 1e-6);
    expectClose(w['running_var'], variance, 1e-6);
    expect(w['num_batches_tracked']).toEqual([3]);
  });

  it('affine false has no weight/bias; trackRunningStats false has no statistics and always uses the batch\'s',
     () => {
       const plain = mint.batchNorm2d({numFeatures: 2, affine: false});
       plain.build([null, 2, 1, 1]);
       expect(Object.keys(weightsOf(plain))).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
       const free = mint.batchNorm2d({numFeatures: 2, trackRunningStats: false}).setTrain(false);
       const x = tf.tensor(DOC_X, [2, 2, 1, 1]);
       const y = applyValues(free, x);
       expect(Object.keys(weightsOf(free))).toEqual(['weight', 'bias']);
       const a = 0.1 / Math.sqrt(0.01 + 1e-5);
       const b = 0.05 / Math.sqrt(0.0025 + 1e-5);
       expectClose(y, [-a, b, a, -b], 1e-6);
       x.dispose();
     });

  it('accepts the ranks of MindSpore\'s mint BatchNorm1d (2, 3), 2d (4) and 3d (5)', () => {
    expect(() => mint.batchNorm1d({numFeatures: 2}).build([null, 2, 5])).not.toThrow();
    expect(() => mint.batchNorm1d({numFeatures: 2}).build([null, 2, 5, 5]))
        .toThrow(/MintBatchNorm1d: expected input of rank 2 \(N, C\) or rank 3/);
    expect(() => mint.batchNorm2d({numFeatures: 2}).build([null, 2, 5]))
        .toThrow(/MintBatchNorm2d: expected input of rank 4/);
    expect(() => mint.batchNorm3d({numFeatures: 2}).build([null, 3, 1, 1, 1]))
        .toThrow(/MintBatchNorm3d: input has 3 channels on axis 1, but 'numFeatures' is 2/);
  });

  it('trains with fit(): running statistics follow the float64 update, weight/bias move', async () => {
    const next = rng(21);
    const shape = [6, 3, 4];
    const xv = randomValues(sizeOf(shape), next, -2, 2);
    const tv = randomValues(sizeOf(shape), next, -1, 1);
    const input = tfl.input({shape: shape.slice(1)});
    const bn = mint.batchNorm1d({numFeatures: 3});
    const model = tfl.model({inputs: input, outputs: bn.apply(input) as tfl.SymbolicTensor});
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
    const x = tf.tensor(xv, shape);
    const t = tf.tensor(tv, shape);
    await model.fit(x, t, {epochs: 2, batchSize: 6, shuffle: false, verbose: 0});
    const ref = runningStatsRef([xv, xv], shape, 1, [0, 0, 0], [1, 1, 1], 0.1, 'unbiased');
    const w = weightsOf(bn);
    expectClose(w['running_mean'], ref.mean, 1e-6);
    expectClose(w['running_var'], ref.variance, 1e-6);
    expect(w['num_batches_tracked']).toEqual([2]);
    expect(w['weight'].some(v => v !== 1)).toBe(true);
    expect(w['bias'].some(v => v !== 0)).toBe(true);
    tf.dispose([x, t]);
    model.dispose();
  });
});

describe('mint.groupNorm', () => {
  it('matches the float64 GroupNorm with weight/bias (eps 1e-5)', () => {
    const shape = [2, 6, 4];
    const {x: xv, gamma: gv, beta: bv} = affineInputs(shape, 6, 30);
    const gn = mint.groupNorm({numGroups: 3, numChannels: 6});
    const x = tf.tensor(xv, shape);
    gn.apply(x);
    gn.setWeights([tf.tensor(gv), tf.tensor(bv)]);
    expect(Object.keys(weightsOf(gn))).toEqual(['weight', 'bias']);
    expectClose(expectNoLeak(() => applyValues(gn, x)), groupNormRef(xv, shape, 3, gv, bv, 1e-5),
        1e-5, 1e-5);
    x.dispose();
  });

  it('has no weights with affine false, and the same output in both modes', () => {
    const gn = mint.groupNorm({numGroups: 1, numChannels: 2, affine: false});
    const x = tf.tensor([1, 2, 3, 5], [1, 2, 2]);
    const a = applyValues(gn, x, {training: true});
    expect(gn.weights).toEqual([]);
    expect(applyValues(gn, x, {training: false})).toEqual(a);
    expectClose(a, groupNormRef([1, 2, 3, 5], [1, 2, 2], 1, [1, 1], [0, 0], 1e-5), 1e-6);
    x.dispose();
  });
});

describe('mint.layerNorm', () => {
  it('normalizes the trailing normalizedShape dims with eps 1e-5 (an int or a list)', () => {
    const shape = [2, 3, 4];
    const xv = randomValues(sizeOf(shape), rng(40), -2, 2);
    const x = tf.tensor(xv, shape);
    const ln1 = mint.layerNorm({normalizedShape: 4});
    const ln2 = mint.layerNorm({normalizedShape: [3, 4]});
    expectClose(applyValues(ln1, x), layerNormRef(xv, shape, 2, 2, new Array(4).fill(1),
                                                  new Array(4).fill(0), 1e-5).y, 1e-5, 1e-5);
    expectClose(applyValues(ln2, x), layerNormRef(xv, shape, 1, 1, new Array(12).fill(1),
                                                  new Array(12).fill(0), 1e-5).y, 1e-5, 1e-5);
    expect(Object.keys(weightsOf(ln2))).toEqual(['weight', 'bias']);
    expect(weightsOf(ln2)['weight']).toEqual(new Array(12).fill(1));
    x.dispose();
  });

  it('bias false keeps only weight; elementwiseAffine false has no weights', () => {
    const a = mint.layerNorm({normalizedShape: 3, bias: false});
    a.build([null, 3]);
    expect(Object.keys(weightsOf(a))).toEqual(['weight']);
    const b = mint.layerNorm({normalizedShape: 3, elementwiseAffine: false});
    b.build([null, 3]);
    expect(b.weights).toEqual([]);
  });
});

describe('mint layers in a model', () => {
  it('follow the mode rule: predict() of a fresh model trains (as the MindSpore cell), until setTrain(model, false)',
     () => {
       const input = tfl.input({shape: [2]});
       const bn = mint.batchNorm1d({numFeatures: 2});
       const model = tfl.model({inputs: input, outputs: bn.apply(input) as tfl.SymbolicTensor});
       const x = tf.tensor([[1, 2], [3, 6]]);
       const trained = model.predict(x) as tf.Tensor;
       // Batch statistics: channel 0 {1, 3} mean 2, var 1; channel 1 {2, 6} mean 4, var 4.
       const s1 = Math.sqrt(1 + 1e-5);
       const s4 = Math.sqrt(4 + 1e-5);
       expectClose(trained.dataSync(), [-1 / s1, -2 / s4, 1 / s1, 2 / s4], 1e-6);
       expect(weightsOf(bn)['num_batches_tracked']).toEqual([1]);
       expect(setTrain(model, false)).toBe(1);
       const inferred = model.predict(x) as tf.Tensor;
       expect(weightsOf(bn)['num_batches_tracked']).toEqual([1]);
       const w = weightsOf(bn);
       expectClose(inferred.dataSync(), [1, 2, 3, 6].map((v, i) =>
           (v - w['running_mean'][i % 2]) / Math.sqrt(w['running_var'][i % 2] + 1e-5)), 1e-6);
       tf.dispose([x, trained, inferred]);
       model.dispose();
     });


  function buildModel(): tfl.LayersModel {
    const input = tfl.input({shape: [4, 3, 3]});
    let h = mint.batchNorm2d({numFeatures: 4, momentum: null}).apply(input) as tfl.SymbolicTensor;
    h = mint.groupNorm({numGroups: 2, numChannels: 4}).apply(h) as tfl.SymbolicTensor;
    h = mint.layerNorm({normalizedShape: [3, 3], bias: false}).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reshape({targetShape: [4, 9]}).apply(h) as tfl.SymbolicTensor;
    h = mint.batchNorm1d({numFeatures: 4, affine: false, eps: 1e-3}).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reshape({targetShape: [4, 3, 3, 1]}).apply(h) as tfl.SymbolicTensor;
    h = mint.batchNorm3d({numFeatures: 4, trackRunningStats: false}).apply(h) as tfl.SymbolicTensor;
    return tfl.model({inputs: input, outputs: h});
  }

  it('trains with fit() and round-trips through save / loadLayersModel in both modes', async () => {
    const model = buildModel();
    model.compile({optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError'});
    const next = rng(50);
    const x = tf.tensor(randomValues(3 * 36, next, -2, 2), [3, 4, 3, 3]);
    const t = tf.tensor(randomValues(3 * 36, next, -1, 1), [3, 4, 3, 3, 1]);
    const before = model.getWeights().map(w => Array.from(w.dataSync()));
    await model.fit(x, t, {epochs: 2, batchSize: 3, verbose: 0});
    const after = model.getWeights().map(w => Array.from(w.dataSync()));
    expect(after).not.toEqual(before);

    const {loaded} = await saveAndLoad(model);
    expectSameLayers(loaded, model);
    expect(loaded.getWeights().map(w => Array.from(w.dataSync()))).toEqual(after);
    expect(loaded.weights.find(w => /num_batches_tracked/.test(w.originalName))!.dtype).toBe('int32');

    // predict() follows each layer's mode (setTrain), identically in both models.
    for (const mode of [false, true]) {
      setTrain(model, mode);
      setTrain(loaded, mode);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expectClose(b.dataSync(), a.dataSync(), 0);
      tf.dispose([a, b]);
    }
    expect(loaded.getWeights().map(w => Array.from(w.dataSync())))
        .toEqual(model.getWeights().map(w => Array.from(w.dataSync())));
    tf.dispose([x, t]);
    model.dispose();
    loaded.dispose();
  });
});
