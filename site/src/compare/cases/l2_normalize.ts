// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';

import {convert, l2Normalize, torchNormalize} from '../../../../src';

import {OpCase, rankAtLeast, take} from './case';

/** TensorFlow's tf.math.l2_normalize (tfjs has none): x * rsqrt(max(sum x^2, epsilon)). */
function tensorflowL2Normalize(x: tf.Tensor, axis: number, epsilon: number): tf.Tensor {
  return tf.tidy(() => tf.mul(
      x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), tf.scalar(epsilon)))));
}

export const l2NormalizeCase: OpCase = {
  id: 'l2Normalize',
  label: 'L2Normalize',
  summary: 'MindSpore clamps the sum of squares at 1e-4, PyTorch clamps the norm at 1e-12: ' +
      'a tiny vector stays tiny in MindSpore and becomes a unit vector in PyTorch.',
  defaultInput: {values: [1e-10, 2e-10, 3e-10, 0.001, 0.002, 0.003, 1, 2, 3], shape: [3, 3]},
  generatedShape: [3, 4],
  checkShape: rankAtLeast(1, 'rank >= 1'),
  async run(x) {
    const axis = -1;
    const matched = convert.l2Normalize.toPyTorch({axis, epsilon: 1e-4});
    return [
      {
        key: 'ms', title: 'MindSpore', setting: 'ops.L2Normalize(axis=-1, epsilon=1e-4)',
        how: 'this package: l2Normalize(x, -1)', values: await take(l2Normalize(x, axis)),
      },
      {
        key: 'torch', title: 'PyTorch default', setting: 'F.normalize(x, p=2, dim=-1, eps=1e-12)',
        how: 'this package: torchNormalize(x, 2, -1)',
        values: await take(torchNormalize(x, 2, axis)),
      },
      {
        key: 'tfjs', title: 'TensorFlow default',
        setting: 'tf.math.l2_normalize(x, axis=-1, epsilon=1e-12)',
        how: 'tfjs has no l2Normalize: TensorFlow\'s formula in tf ops',
        values: await take(tensorflowL2Normalize(x, axis, 1e-12)),
      },
      {
        key: 'match', title: 'PyTorch, matched', setting: `F.normalize(x, dim=-1, eps=${matched.eps})`,
        how: 'convert.l2Normalize.toPyTorch({epsilon: 1e-4}), then torchNormalize',
        values: await take(torchNormalize(x, 2, axis, matched.eps)),
      },
    ];
  },
};
