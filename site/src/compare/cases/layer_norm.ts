// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layerNorm} from '../../../../src';

import {applyOnce, OpCase, rankAtLeast, take} from './case';

/** layerNorm over the last axis with unit gamma and zero beta, at an epsilon. */
async function lastAxisLayerNorm(x: tf.Tensor, epsilon: number): Promise<number[]> {
  const d = x.shape[x.rank - 1];
  const gamma = tf.ones([d]);
  const beta = tf.zeros([d]);
  const {y, mean, variance} =
      layerNorm(x, gamma, beta, {beginNormAxis: -1, beginParamsAxis: -1, epsilon});
  tf.dispose([gamma, beta, mean, variance]);
  return take(y);
}

export const layerNormCase: OpCase = {
  id: 'layerNorm',
  label: 'LayerNorm',
  summary: 'Same formula, different epsilon: MindSpore 1e-7, PyTorch 1e-5, tfjs 1e-3. ' +
      'Rows with a small variance show it.',
  defaultInput: {
    values: [0.01, 0.02, 0.03, 0.04, 0.1, 0.2, 0.3, 0.4, 1, 2, 3, 4],
    shape: [3, 4],
  },
  generatedShape: [3, 4],
  checkShape: rankAtLeast(2, 'rank >= 2'),
  async run(x) {
    return [
      {
        key: 'ms', title: 'MindSpore', setting: 'nn.LayerNorm((D,), epsilon=1e-7)',
        how: 'this package: layerNorm(x, ones, zeros, {beginNormAxis: -1, beginParamsAxis: -1})',
        values: await lastAxisLayerNorm(x, 1e-7),
      },
      {
        key: 'torch', title: 'PyTorch default', setting: 'nn.LayerNorm(D) (eps 1e-5)',
        how: 'this package: layerNorm with epsilon 1e-5 (PyTorch\'s formula)',
        values: await lastAxisLayerNorm(x, 1e-5),
      },
      {
        key: 'tfjs', title: 'tfjs default', setting: 'tf.layers.layerNormalization() (epsilon 1e-3)',
        how: 'tfjs-layers', values: await applyOnce(tfl.layers.layerNormalization(), x, null),
      },
      {
        key: 'match', title: 'tfjs, matched', setting: 'tf.layers.layerNormalization({epsilon: 1e-7})',
        how: 'tfjs-layers', values: await applyOnce(tfl.layers.layerNormalization({epsilon: 1e-7}), x, null),
      },
    ];
  },
};
