// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {setTrain, swapToMindSpore} from '../../src';
import * as layers from '../../src/layers';
import {batchNormRef, channelStatsRef, expectClose, groupNormRef, maxAbsDiff, randomValues, rng, sizeOf} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Fills every weight of a layer with seeded values (variances kept positive). */
function randomizeWeights(layer: tfl.layers.Layer, seed: number): void {
  const next = rng(seed);
  layer.setWeights(layer.weights.map(w => {
    const positive = /variance$/.test(w.originalName);
    const shape = w.shape as number[];
    return tf.tensor(randomValues(sizeOf(shape), next, positive ? 0.2 : -1.5, 1.5), shape);
  }));
}

function predictValues(model: tfl.LayersModel, x: tf.Tensor): number[] {
  const y = model.predict(x) as tf.Tensor;
  const v = Array.from(y.dataSync());
  y.dispose();
  return v;
}

function inputOf(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(sizeOf(shape), rng(seed), -2, 2), shape);
}

/** float64 BatchNorm inference with a layer's [gamma, beta, moving mean, moving variance]. */
function inferenceRef(
    x: ArrayLike<number>, shape: number[], axis: number, weights: number[][], eps: number): Float64Array {
  const [gamma, beta, runningMean, runningVar] = weights;
  return batchNormRef(x, shape, {axis, training: false, runningMean, runningVar, gamma, beta, eps});
}

function weightValues(layer: tfl.layers.Layer): number[][] {
  return layer.getWeights().map(w => Array.from(w.dataSync()));
}

describe('swapToMindSpore', () => {
  it('replaces an NCHW BatchNormalization (axis 1) with BatchNorm2d; inference matches', () => {
    const input = tfl.input({shape: [3, 4, 5]});
    const bn = tfl.layers.batchNormalization({axis: 1, momentum: 0.8, epsilon: 1e-3, name: 'bn'});
    const out = tfl.layers.flatten().apply(bn.apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: out});
    randomizeWeights(bn, 1);

    const {model: swapped, replaced, skipped} = swapToMindSpore(model);
    expect(skipped).toEqual([]);
    expect(replaced.map(r => [r.name, r.from, r.to])).toEqual([['bn', 'BatchNormalization', 'BatchNorm2d']]);
    const layer = swapped.getLayer('bn') as layers.BatchNorm2d;
    expect(layer).toBeInstanceOf(layers.BatchNorm2d);
    expect(layer.dataFormat).toBe('NCHW');
    expect(layer.numFeatures).toBe(3);
    expect(layer.momentum).toBe(0.8);
    expect(layer.eps).toBe(1e-3);
    expect(layer.affine).toBe(true);

    const x = inputOf([2, 3, 4, 5], 2);
    const ref = inferenceRef(x.dataSync(), [2, 3, 4, 5], 1, weightValues(bn), 1e-3);
    expectClose(predictValues(swapped, x), ref, 1e-5);
    // tfjs's own CPU result for axis 1 is not this: its FusedBatchNorm kernel indexes
    // the [1, C, 1, 1]-reshaped parameters cyclically along the last axis.
    expect(maxAbsDiff(predictValues(model, x), ref)).toBeGreaterThan(0.1);
    // ... which the swap's notes say.
    expect(replaced[0].notes.join(' ')).toMatch(
        /tfjs's BatchNormalization\(\{axis: 1\}\) computes wrong outputs on the cpu backend .* the swapped model's outputs differ/);
    // The same numbers through tfjs's channels-last path do match.
    const nhwc = tfl.sequential({layers: [tfl.layers.batchNormalization({inputShape: [4, 5, 3]})]});
    nhwc.layers[0].setWeights(bn.getWeights());
    const xt = tf.transpose(x, [0, 2, 3, 1]);
    const yt = nhwc.predict(xt) as tf.Tensor;
    const back = tf.transpose(yt, [0, 3, 1, 2]);
    expectClose(predictValues(swapped, x), back.dataSync(), 1e-5);
    tf.dispose([x, xt, yt, back]);
  });

  it('replaces NHWC BatchNormalization (axis -1) of rank 2, 3, 4 and 5 with BatchNorm1d/1d/2d/3d', () => {
    const cases: Array<[number[], string]> = [
      [[6], 'BatchNorm1d'], [[4, 3], 'BatchNorm1d'], [[3, 2, 4], 'BatchNorm2d'],
      [[2, 2, 2, 3], 'BatchNorm3d'],
    ];
    cases.forEach(([shape, to], i) => {
      const bn = tfl.layers.batchNormalization({name: `bn${i}`});
      const model = tfl.sequential({layers: [tfl.layers.dense({units: shape[shape.length - 1],
                                                                 inputShape: shape}), bn]});
      randomizeWeights(bn, 10 + i);
      randomizeWeights(model.layers[0], 20 + i);
      const {model: swapped, replaced} = swapToMindSpore(model);
      expect(replaced.map(r => r.to)).toEqual([to]);
      // Channels last (and rank 2): tfjs computes these right, so no warning.
      expect(replaced[0].notes.join(' ')).not.toMatch(/computes wrong outputs/);
      const layer = swapped.getLayer(`bn${i}`) as layers.BatchNormBase;
      // rank 2: the last axis is also axis 1.
      expect(layer.dataFormat).toBe(shape.length === 1 ? 'NCHW' : 'NHWC');
      expect(layer.momentum).toBe(0.99);
      const x = inputOf([3, ...shape], 30 + i);
      const dense = model.layers[0].apply(x) as tf.Tensor;
      const ref = inferenceRef(dense.dataSync(), [3, ...shape], shape.length, weightValues(bn), 1e-3);
      expectClose(predictValues(swapped, x), ref, 1e-5);
      // tfjs's BatchNormalization stops at rank 4.
      if (shape.length < 4) {
        expectClose(predictValues(swapped, x), predictValues(model, x), 1e-5);
      }
      tf.dispose([x, dense]);
    });
  });

  it('maps scale/center false to gamma 1 / beta 0 with affine false, and matches', () => {
    const bn = tfl.layers.batchNormalization({scale: false, center: false, name: 'plain'});
    const model = tfl.sequential({layers: [tfl.layers.dense({units: 4, inputShape: [3]}), bn]});
    randomizeWeights(bn, 3);
    const {model: swapped, replaced} = swapToMindSpore(model);
    const layer = swapped.getLayer('plain') as layers.BatchNorm1d;
    expect(layer.affine).toBe(false);
    const [gamma, beta] = layer.getWeights();
    expectClose(gamma.dataSync(), [1, 1, 1, 1], 0);
    expectClose(beta.dataSync(), [0, 0, 0, 0], 0);
    expect(replaced[0].notes.join(' ')).toMatch(/scale: false -> gamma held at 1/);
    const x = inputOf([5, 3], 4);
    expectClose(predictValues(swapped, x), predictValues(model, x), 1e-5);
    x.dispose();
  });

  it('overrides epsilon when asked and changes the output accordingly', () => {
    const one = tfl.sequential({layers: [tfl.layers.batchNormalization({epsilon: 0.5, inputShape: [2]})]});
    one.layers[0].setWeights([tf.tensor1d([2, 3]), tf.tensor1d([0.5, -1]), tf.tensor1d([1, 2]),
                              tf.tensor1d([1.5, 0.5])]);
    const {model: swapped, replaced} = swapToMindSpore(one, {epsilon: 1e-5});
    expect((swapped.layers[0] as layers.BatchNorm1d).eps).toBe(1e-5);
    expect(replaced[0].notes.join(' ')).toMatch(/epsilon 0.5 -> 0.00001/);
    const x = tf.tensor2d([[3, -1]]);
    // float64: (x - mean) / sqrt(var + eps) * gamma + beta
    const ref = (eps: number) => [(3 - 1) / Math.sqrt(1.5 + eps) * 2 + 0.5,
                                  (-1 - 2) / Math.sqrt(0.5 + eps) * 3 - 1];
    expectClose(predictValues(one, x), ref(0.5), 1e-5);
    expectClose(predictValues(swapped, x), ref(1e-5), 1e-5);
    x.dispose();
  });

  it('replaces LayerNormalization with LayerNorm (trailing axes), keeps epsilon and reports it', () => {
    const input = tfl.input({shape: [3, 4, 2]});
    const ln1 = tfl.layers.layerNormalization({axis: -1, name: 'ln_last'});
    const ln2 = tfl.layers.layerNormalization({axis: [2, 3], name: 'ln_block'});
    const out = ln2.apply(ln1.apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: out});
    randomizeWeights(ln1, 5);
    randomizeWeights(ln2, 6);

    const {model: swapped, replaced} = swapToMindSpore(model);
    expect(replaced.map(r => [r.name, r.to])).toEqual([['ln_last', 'LayerNorm'], ['ln_block', 'LayerNorm']]);
    const last = swapped.getLayer('ln_last') as layers.LayerNorm;
    const block = swapped.getLayer('ln_block') as layers.LayerNorm;
    expect([last.beginNormAxis, last.beginParamsAxis, last.normalizedShape]).toEqual([3, 3, [2]]);
    expect([block.beginNormAxis, block.beginParamsAxis, block.normalizedShape]).toEqual([2, 2, [4, 2]]);
    expect(last.epsilon).toBe(1e-3);
    expect(replaced[0].notes.join(' ')).toMatch(/epsilon 0.001 kept; MindSpore's LayerNorm default is 1e-7/);

    const x = inputOf([2, 3, 4, 2], 7);
    expectClose(predictValues(swapped, x), predictValues(model, x), 1e-5);
    x.dispose();
  });

  it('leaves layers it cannot express in place and says why', () => {
    const input = tfl.input({shape: [3, 4, 5]});
    const bn = tfl.layers.batchNormalization({axis: 2, name: 'bn_mid'});
    const ln = tfl.layers.layerNormalization({axis: 1, name: 'ln_first'});
    const out = ln.apply(bn.apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: out});
    randomizeWeights(bn, 8);
    const {model: swapped, replaced, skipped} = swapToMindSpore(model);
    expect(replaced).toEqual([]);
    expect(skipped.map(s => [s.name, s.className])).toEqual(
        [['bn_mid', 'BatchNormalization'], ['ln_first', 'LayerNormalization']]);
    expect(skipped[0].reason).toMatch(/axis 2 of a rank-4 input is neither/);
    expect(skipped[1].reason).toMatch(/not a trailing block/);
    expect(swapped.getLayer('bn_mid').getClassName()).toBe('BatchNormalization');
    const x = inputOf([2, 3, 4, 5], 9);
    expectClose(predictValues(swapped, x), predictValues(model, x), 1e-5);
    x.dispose();
  });

  it('replaces layers inside a nested model and carries their weights', () => {
    const inner = tfl.sequential({
      name: 'block',
      layers: [
        tfl.layers.conv2d({filters: 3, kernelSize: 1, inputShape: [4, 4, 2], name: 'block_conv'}),
        tfl.layers.batchNormalization({name: 'block_bn'}),
      ],
    });
    const input = tfl.input({shape: [4, 4, 2]});
    const ln = tfl.layers.layerNormalization({axis: -1, name: 'outer_ln'});
    const out = ln.apply(inner.apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: out});
    randomizeWeights(inner.getLayer('block_conv'), 40);
    randomizeWeights(inner.getLayer('block_bn'), 41);
    randomizeWeights(ln, 42);

    const {model: swapped, replaced} = swapToMindSpore(model);
    expect(replaced.map(r => [r.name, r.to])).toEqual([['block_bn', 'BatchNorm2d'], ['outer_ln', 'LayerNorm']]);
    const swappedInner = swapped.getLayer('block') as tfl.LayersModel;
    expect(swappedInner.getLayer('block_bn')).toBeInstanceOf(layers.BatchNorm2d);
    const x = inputOf([2, 4, 4, 2], 43);
    expectClose(predictValues(swapped, x), predictValues(model, x), 1e-5);
    x.dispose();
  });

  it("finds no swap rule for a class named like an Object.prototype key ('toString')", () => {
    // A custom layer whose class name is 'toString' must not find Object.prototype.toString as
    // a rule (which failed with "Cannot use 'in' operator"); the swap then reaches tfjs's own
    // deserializer, which cannot register that name either.
    class Passthrough extends tfl.layers.Layer {
      static className = 'toString';
      override call(inputs: tf.Tensor|tf.Tensor[]): tf.Tensor {
        return tf.clone(Array.isArray(inputs) ? inputs[0] : inputs);
      }
    }
    const model = tfl.sequential({layers: [
      new Passthrough({inputShape: [3], name: 'pass'}), tfl.layers.batchNormalization({name: 'bn'})]});
    expect(() => swapToMindSpore(model)).toThrow(/^Unknown layer: toString\./);
  });

  it("carries the model's setTrain mode over: predict() keeps using the batch statistics", () => {
    const model = tfl.sequential({layers: [
      layers.groupNorm({numGroups: 1, numChannels: 2, inputShape: [2, 3]}),
      tfl.layers.batchNormalization({axis: 1, name: 'bn'}),
    ]});
    // Moving statistics far from the batch's, so the two modes give different outputs.
    const stats = [tf.ones([2]), tf.zeros([2]), tf.fill([2], 5), tf.fill([2], 9)];
    model.getLayer('bn').setWeights(stats);
    tf.dispose(stats);
    setTrain(model, true);
    const {model: swapped} = swapToMindSpore(model);
    expect(swapped.layers.map(l => (l as layers.MsLayer).trainingMode)).toEqual([true, true]);
    const xs = randomValues(12, rng(51), -2, 2);
    const x = tf.tensor(xs, [2, 2, 3]);
    // float64: GroupNorm (1 group, gamma 1, beta 0) then BatchNorm with the batch statistics.
    const gn = groupNormRef(xs, [2, 2, 3], 1, [1, 1], [0, 0], 1e-5);
    const ref = batchNormRef(gn, [2, 2, 3], {axis: 1, training: true, runningMean: [5, 5],
                                               runningVar: [9, 9], gamma: [1, 1], beta: [0, 0],
                                               eps: 1e-3});
    expectClose(predictValues(swapped, x), ref, 1e-4);
    // setTrain(false) on the original before the swap gives inference replacements.
    setTrain(model, false);
    const {model: inference} = swapToMindSpore(model);
    expect(inference.layers.map(l => (l as layers.MsLayer).trainingMode)).toEqual([false, false]);
    x.dispose();
  });

  it('returns an ordinary model: save and load it, outputs unchanged', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({filters: 4, kernelSize: 3, inputShape: [5, 5, 2], name: 'conv'}),
        tfl.layers.batchNormalization({name: 'bn'}),
        tfl.layers.flatten(),
        tfl.layers.dense({units: 3, name: 'fc'}),
        tfl.layers.layerNormalization({name: 'ln'}),
      ],
    });
    model.layers.forEach((l, i) => randomizeWeights(l, 60 + i));
    const {model: swapped} = swapToMindSpore(model, {epsilon: 1e-3});
    let saved: tf.io.ModelArtifacts|undefined;
    await swapped.save(tf.io.withSaveHandler(async artifacts => {
      saved = artifacts;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.getLayer('bn')).toBeInstanceOf(layers.BatchNorm2d);
    expect(loaded.getLayer('ln')).toBeInstanceOf(layers.LayerNorm);
    const x = inputOf([2, 5, 5, 2], 70);
    const expected = predictValues(model, x);
    expectClose(predictValues(swapped, x), expected, 1e-5);
    expectClose(predictValues(loaded, x), expected, 1e-5);
    x.dispose();
  });

  it('allocates only the new model\'s weights', () => {
    const model = tfl.sequential({layers: [tfl.layers.batchNormalization({inputShape: [3], scale: false}),
                                           tfl.layers.layerNormalization({})]});
    const before = tf.memory().numTensors;
    const {model: swapped} = swapToMindSpore(model);
    expect(tf.memory().numTensors - before).toBe(swapped.weights.length);
    swapped.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad arguments', () => {
    const model = tfl.sequential({layers: [tfl.layers.batchNormalization({inputShape: [2]})]});
    expect(() => swapToMindSpore({} as tfl.LayersModel)).toThrow(/swapToMindSpore: 'model' must be a tf.LayersModel/);
    expect(() => swapToMindSpore(model, {epsilon: 0})).toThrow(/'options.epsilon'/);
    expect(() => swapToMindSpore(model, {varianceUpdate: 'x' as 'biased'})).toThrow(/'options.varianceUpdate'/);
  });

  describe('training: the moving-variance update', () => {
    // One fit() step on a batch of 4 rows: moving = m * moving + (1 - m) * batch statistic.
    const rows = [[0.7, 0.5], [0.5, 0.4], [0.2, -0.3], [1.1, 0.9]];
    const momentum = 0.9;
    function batchStats(): {mean: number[], biased: number[], unbiased: number[]} {
      const n = rows.length;
      const {mean, variance} = channelStatsRef(rows.flat(), [n, 2], 1);
      const biased = Array.from(variance);
      return {mean: Array.from(mean), biased, unbiased: biased.map(v => v * n / (n - 1))};
    }
    async function trainOnce(model: tfl.LayersModel): Promise<number[]> {
      model.compile({optimizer: tf.train.sgd(0), loss: 'meanSquaredError'});
      const x = tf.tensor2d(rows);
      const y = tf.zeros([4, 2]);
      await model.fit(x, y, {batchSize: 4, epochs: 1, shuffle: false, verbose: 0});
      tf.dispose([x, y]);
      const bnLayer = model.layers[0];
      return Array.from(bnLayer.getWeights()[3].dataSync());
    }
    function fresh(): tfl.LayersModel {
      return tfl.sequential(
          {layers: [tfl.layers.batchNormalization({momentum, inputShape: [2], name: 'bn'})]});
    }

    it('tfjs updates with the biased batch variance, the swap (default) with the unbiased one', async () => {
      const {biased, unbiased} = batchStats();
      const original = fresh();
      const {model: swapped} = swapToMindSpore(original);
      const tfjsVar = await trainOnce(original);
      const msVar = await trainOnce(swapped);
      expectClose(tfjsVar, biased.map(v => momentum * 1 + (1 - momentum) * v), 1e-6);
      expectClose(msVar, unbiased.map(v => momentum * 1 + (1 - momentum) * v), 1e-6);
      // The difference: (1 - m) * var_biased / (M - 1), M = 4 rows.
      expectClose(msVar.map((v, i) => v - tfjsVar[i]), biased.map(v => (1 - momentum) * v / 3), 1e-6);
    });

    it("matches tfjs's update with varianceUpdate 'biased' (and the same moving mean)", async () => {
      const {mean, biased} = batchStats();
      const original = fresh();
      const {model: swapped} = swapToMindSpore(original, {varianceUpdate: 'biased'});
      const tfjsVar = await trainOnce(original);
      const msVar = await trainOnce(swapped);
      expectClose(msVar, tfjsVar, 1e-6);
      expectClose(msVar, biased.map(v => momentum + (1 - momentum) * v), 1e-6);
      const msMean = Array.from(swapped.layers[0].getWeights()[2].dataSync());
      expectClose(msMean, mean.map(v => (1 - momentum) * v), 1e-6);
    });

    it('leaves the original model untouched when the swapped one trains', async () => {
      const original = fresh();
      const {model: swapped} = swapToMindSpore(original);
      await trainOnce(swapped);
      expectClose(original.layers[0].getWeights()[3].dataSync(), [1, 1], 0);
    });
  });
});
