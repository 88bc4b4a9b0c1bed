// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers, setTrain} from '../../src';
import {expectClose, randomValues, rng} from '../test_util';
import {expectSameLayers, saveAndLoad} from './layer_models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A model holding every layer of the package next to stock tfjs layers. */
function buildModel(): tfl.LayersModel {
  const input = tfl.input({shape: [3, 6, 6]});
  let h = tfl.layers.conv2d({
    filters: 4, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst',
    kernelInitializer: tfl.initializers.glorotUniform({seed: 1}),
  }).apply(input) as tfl.SymbolicTensor;
  h = layers.lrn({depthRadius: 1, alpha: 1e-2, beta: 0.75}).apply(h) as tfl.SymbolicTensor;
  h = layers.groupNorm({numGroups: 2, numChannels: 4, gammaInit: 'normal'}).apply(h) as tfl.SymbolicTensor;
  h = layers.batchNorm2d({numFeatures: 4, momentum: 0.8, gammaInit: [1, 2, 3, 4]})
          .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({targetShape: [4, 2, 3, 6]}).apply(h) as tfl.SymbolicTensor;
  h = layers.batchNorm3d({numFeatures: 4, varianceUpdate: 'biased',
                          betaInit: tfl.initializers.randomUniform({minval: -1, maxval: 1, seed: 3})})
          .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dense({units: 5, kernelInitializer: tfl.initializers.glorotUniform({seed: 2})})
          .apply(h) as tfl.SymbolicTensor;
  h = layers.batchNorm1d({numFeatures: 5, affine: false}).apply(h) as tfl.SymbolicTensor;
  h = layers.l2Normalize({axis: -1}).apply(h) as tfl.SymbolicTensor;
  return tfl.model({inputs: input, outputs: h});
}

function movingStats(model: tfl.LayersModel): number[][] {
  return model.weights.filter(w => /moving_/.test(w.originalName))
      .map(w => Array.from(w.read().dataSync()));
}

describe('saving and loading a model with every layer', () => {
  it('round-trips weights, configs, outputs and moving statistics in both modes', async () => {
    const model = buildModel();
    model.compile({optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError'});
    const next = rng(17);
    const x = tf.tensor(randomValues(4 * 108, next), [4, 3, 6, 6]);
    const y = tf.tensor(randomValues(4 * 5, next), [4, 5]);
    await model.fit(x, y, {epochs: 2, batchSize: 4, verbose: 0});

    const {artifacts, loaded} = await saveAndLoad(model);
    expectSameLayers(loaded, model);
    expect(movingStats(loaded)).toEqual(movingStats(model));

    // Inference: identical outputs, statistics untouched.
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expectClose(b.dataSync(), a.dataSync(), 0);
    expect(movingStats(loaded)).toEqual(movingStats(model));

    // Training mode: identical outputs and identically updated statistics.
    setTrain(model, true);
    setTrain(loaded, true);
    const c = model.predict(x) as tf.Tensor;
    const d = loaded.predict(x) as tf.Tensor;
    expectClose(d.dataSync(), c.dataSync(), 0);
    expect(movingStats(loaded)).toEqual(movingStats(model));
    expect(movingStats(loaded)).not.toEqual(savedMovingStats(artifacts));

    tf.dispose([x, y, a, b, c, d]);
    model.dispose();
    loaded.dispose();
  });
});

/** The statistics as saved (before the training-mode call): they must have moved since. */
function savedMovingStats(artifacts: tf.io.ModelArtifacts): number[][] {
  const specs = artifacts.weightSpecs!;
  const data = new Float32Array(artifacts.weightData as ArrayBuffer);
  const out: number[][] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((p, q) => p * q, 1);
    if (/moving_/.test(spec.name)) {
      out.push(Array.from(data.subarray(offset, offset + size)));
    }
    offset += size;
  }
  return out;
}
