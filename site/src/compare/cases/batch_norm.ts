// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {batchNorm, layers} from '../../../../src';

import {applyOnce, OpCase, take} from './case';

export const batchNormCase: OpCase = {
  id: 'batchNorm',
  label: 'BatchNorm',
  summary: 'In training, MindSpore and PyTorch use eps 1e-5, tfjs 1e-3. A new MindSpore ' +
      'layer starts in inference (moving statistics), a PyTorch module in training.',
  defaultInput: {values: [0.7, 0.5, 0.5, 0.6, 0.5, 0.4, 0.6, 0.9], shape: [2, 4]},
  generatedShape: [4, 3],
  checkShape: shape => shape.length === 2 && shape[0] >= 2 ? null :
      `needs an (N, C) tensor with N >= 2; got shape [${shape}].`,
  variants: [
    {id: 'train', label: 'one training step (batch statistics)'},
    {id: 'fresh', label: 'a new layer, called with no mode (each library\'s default)'},
  ],
  async run(x, variant) {
    const c = (x.shape as number[])[1];
    const train = variant === 'train';
    const torch = batchNorm(x, tf.zeros([c]), tf.ones([c]), null, null,
                            {training: true, momentum: 0.1, eps: 1e-5});
    tf.dispose([torch.runningMean, torch.runningVar]);
    const columns = [
      {
        key: 'ms' as const, title: 'MindSpore',
        setting: train ? 'nn.BatchNorm1d(C), set_train() (eps 1e-5)' :
                         'nn.BatchNorm1d(C): starts in inference, moving mean 0, var 1',
        how: `this package: layers.batchNorm1d({numFeatures: C}).apply(x${train ? ', {training: true}' : ''})`,
        values: await applyOnce(layers.batchNorm1d({numFeatures: c}), x, train ? true : null),
      },
      {
        key: 'torch' as const, title: 'PyTorch default',
        setting: train ? 'nn.BatchNorm1d(C) (eps 1e-5)' :
                         'nn.BatchNorm1d(C): starts in training (batch statistics)',
        how: 'this package: batchNorm(x, ..., {training: true, momentum: 0.1}), PyTorch\'s formula',
        values: await take(torch.y),
      },
      {
        key: 'tfjs' as const, title: 'tfjs default',
        setting: train ? 'tf.layers.batchNormalization() (epsilon 1e-3), training' :
                         'tf.layers.batchNormalization(): no training flag = inference',
        how: 'tfjs-layers', values: await applyOnce(tfl.layers.batchNormalization(), x,
                                                       train ? true : null),
      },
    ];
    if (train) {
      return [...columns, {
        key: 'match', title: 'tfjs, matched', setting: 'tf.layers.batchNormalization({epsilon: 1e-5})',
        how: 'tfjs-layers, training', values: await applyOnce(
            tfl.layers.batchNormalization({epsilon: 1e-5}), x, true),
      }];
    }
    const evalMode = batchNorm(x, tf.zeros([c]), tf.ones([c]), null, null, {eps: 1e-5});
    tf.dispose([evalMode.runningMean, evalMode.runningVar]);
    return [...columns, {
      key: 'match', title: 'PyTorch, matched', setting: 'nn.BatchNorm1d(C).eval()',
      how: 'this package: batchNorm(x, zeros, ones) (inference)', values: await take(evalMode.y),
    }];
  },
};
