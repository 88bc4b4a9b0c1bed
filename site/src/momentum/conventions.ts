// SPDX-License-Identifier: Apache-2.0
/**
 * The BatchNorm settings plotted, each a layer that is stepped in training
 * mode on a batch and then asked for its moving statistics.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers, mint} from '../../../src';

export interface Stepper {
  /** One training step on a [N, 1] batch. */
  step(x: tf.Tensor): void;
  /** The moving mean and variance now (tensors the caller disposes). */
  stats(): [tf.Tensor, tf.Tensor];
  dispose(): void;
}

export interface Convention {
  id: string;
  label: string;
  color: string;
  dash?: string;
  width?: number;
  make(): Stepper;
}

/**
 * A layer whose moving statistics are weights: moving_mean / moving_variance in
 * MindSpore nn and tfjs, running_mean / running_var in mint.
 */
function layerStepper(layer: tfl.layers.Layer, names = ['moving_mean', 'moving_variance']): Stepper {
  // Creates the weights; an inference call updates nothing.
  tf.tidy(() => layer.apply(tf.zeros([2, 1]), {training: false}) as tf.Tensor);
  const weight = (name: string) => {
    const w = layer.weights.find(v => v.originalName.endsWith(name) || v.name.includes(name));
    if (w == null) {
      throw new Error(`${layer.name} has no ${name} weight`);
    }
    return w.read().clone();
  };
  return {
    step: x => tf.dispose(layer.apply(x, {training: true}) as tf.Tensor),
    stats: () => [weight(names[0]), weight(names[1])],
    dispose: () => layer.dispose(),
  };
}

export const CONVENTIONS: Convention[] = [
  {
    id: 'nn-0.9', label: 'MindSpore nn.BatchNorm1d, momentum 0.9 (default)', color: '#1f5fbf',
    width: 4, make: () => layerStepper(layers.batchNorm1d({numFeatures: 1})),
  },
  {
    id: 'mint-0.1', label: 'MindSpore mint / PyTorch, momentum 0.1 (default)', color: '#f28e2b',
    dash: '7 5', width: 2.5,
    make: () => layerStepper(mint.batchNorm1d({numFeatures: 1}), ['running_mean', 'running_var']),
  },
  {
    id: 'keras-0.99', label: 'Keras / tfjs batchNormalization, momentum 0.99 (default)',
    color: '#2a9d5c', width: 2.5, make: () => layerStepper(tfl.layers.batchNormalization()),
  },
  {
    id: 'keras-0.9', label: 'Keras / tfjs, momentum 0.9 (the equivalent setting)', color: '#2a9d5c',
    dash: '2 3', width: 2,
    make: () => layerStepper(tfl.layers.batchNormalization({momentum: 0.9})),
  },
  {
    id: 'nn-0.1', label: 'MindSpore nn with PyTorch\'s 0.1 pasted in (a common port bug)',
    color: '#d1495b', width: 1.5,
    make: () => layerStepper(layers.batchNorm1d({numFeatures: 1, momentum: 0.1})),
  },
];
