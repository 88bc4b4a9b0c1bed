// SPDX-License-Identifier: Apache-2.0
/** Small models around the package's layers, shared by the layer and mint specs (cpu, in Node). */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {randomValues, rng} from '../test_util';

export interface ConvInput {
  /** [C, H, W] of the channels-first input. */
  inputShape: number[];
  filters: number;
  padding?: 'same'|'valid';
}

/**
 * A channels-first 3x3 Conv2D, then `layer`, then flatten and a one-unit
 * dense layer (glorot-uniform kernels seeded `seed` and `seed + 1`).
 */
export function convThen(layer: tfl.layers.Layer, conv: ConvInput, seed: number): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({
    inputShape: conv.inputShape, filters: conv.filters, kernelSize: 3, padding: conv.padding,
    dataFormat: 'channelsFirst', kernelInitializer: tfl.initializers.glorotUniform({seed}),
  }));
  model.add(layer);
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({units: 1, kernelInitializer: tfl.initializers.glorotUniform({seed: seed + 1})}));
  return model;
}

/**
 * Fits a compiled model to seeded random inputs of `xShape` and one random
 * target per example, one batch per epoch, and asserts that the loss fell.
 * Returns the inputs and targets (the caller disposes them).
 */
export async function fitsRandomData(model: tfl.LayersModel, xShape: number[], seed: number,
                                     epochs: number): Promise<{x: tf.Tensor, y: tf.Tensor}> {
  const next = rng(seed);
  const n = xShape[0];
  const x = tf.tensor(randomValues(xShape.reduce((a, b) => a * b, 1), next), xShape);
  const y = tf.tensor(randomValues(n, next), [n, 1]);
  const history = await model.fit(x, y, {epochs, batchSize: n, verbose: 0});
  const losses = history.history['loss'] as number[];
  expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  return {x, y};
}

/** Saves a model to memory with model.save and loads it back with tfl.loadLayersModel. */
export async function saveAndLoad(model: tfl.LayersModel):
    Promise<{artifacts: tf.io.ModelArtifacts, loaded: tfl.LayersModel}> {
  let artifacts: tf.io.ModelArtifacts|undefined;
  await model.save(tf.io.withSaveHandler(async a => {
    artifacts = a;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  return {artifacts: artifacts!, loaded: await tfl.loadLayersModel(tf.io.fromMemory(artifacts!))};
}

/** The same layer classes and configs, and the same weight names, in the same order. */
export function expectSameLayers(loaded: tfl.LayersModel, model: tfl.LayersModel): void {
  expect(loaded.layers.map(l => l.getClassName())).toEqual(model.layers.map(l => l.getClassName()));
  model.layers.forEach((l, i) => expect(loaded.layers[i].getConfig()).toEqual(l.getConfig()));
  expect(loaded.weights.map(w => w.originalName)).toEqual(model.weights.map(w => w.originalName));
}
