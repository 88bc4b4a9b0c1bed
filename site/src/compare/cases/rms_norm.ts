// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';

import {rmsNorm} from '../../../../src';

import {OpCase, rankAtLeast, take} from './case';

/** PyTorch's nn.RMSNorm(D, eps=None) uses float32's machine epsilon. */
const TORCH_FLOAT32_EPS = 1.1920928955078125e-7;

/** PyTorch's RMSNorm formula, x * rsqrt(mean(x^2) + eps) over the last axis, in tf ops. */
function torchRmsNorm(x: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))));
}

export const rmsNormCase: OpCase = {
  id: 'rmsNorm',
  label: 'RMSNorm',
  summary: 'MindSpore ops.rms_norm adds epsilon 1e-6 inside the root; PyTorch nn.RMSNorm ' +
      'defaults to float32\'s machine epsilon (1.19e-7); tfjs has no RMSNorm.',
  defaultInput: {values: [0.001, 0.002, 0.003, 0.004, 0.01, 0.02, 0.03, 0.04, 1, 2, 3, 4],
                 shape: [3, 4]},
  generatedShape: [3, 4],
  checkShape: rankAtLeast(1, 'rank >= 1'),
  async run(x) {
    const d = (x.shape as number[])[x.rank - 1];
    const gamma = tf.ones([d]);
    const {y, rstd} = rmsNorm(x, gamma, 1e-6);
    tf.dispose([gamma, rstd]);
    return [
      {
        key: 'ms', title: 'MindSpore', setting: 'ops.rms_norm(x, ones(D), epsilon=1e-6)',
        how: 'this package: rmsNorm(x, ones)', values: await take(y),
      },
      {
        key: 'torch', title: 'PyTorch default', setting: 'nn.RMSNorm(D) (eps=None: 1.19e-7)',
        how: 'PyTorch\'s formula in tf ops, in this page',
        values: await take(torchRmsNorm(x, TORCH_FLOAT32_EPS)),
      },
      {key: 'tfjs', title: 'tfjs default', setting: 'no RMSNorm in tfjs', how: '—', values: null},
      {
        key: 'match', title: 'PyTorch, matched', setting: 'nn.RMSNorm(D, eps=1e-6)',
        how: 'PyTorch\'s formula in tf ops, in this page', values: await take(torchRmsNorm(x, 1e-6)),
      },
    ];
  },
};
