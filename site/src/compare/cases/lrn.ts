// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';

import {convert, lrn, torchLocalResponseNorm} from '../../../../src';

import {OpCase, take} from './case';

const RADIUS = 5;

export const lrnCase: OpCase = {
  id: 'lrn',
  label: 'LRN',
  summary: 'MindSpore (and tfjs) do not divide alpha by the window size and default to ' +
      'alpha 1, beta 0.5; PyTorch divides alpha by size and defaults to alpha 1e-4, beta 0.75.',
  defaultInput: {
    values: [0.5, -1, 1.5, 2, -0.3, 0.8, 1, -2.5],
    shape: [1, 4, 1, 2],
  },
  generatedShape: [1, 6, 1, 2],
  checkShape: shape => shape.length === 4 ? null :
      `needs a rank-4 (N, C, H, W) tensor; got shape [${shape}].`,
  async run(x) {
    const size = 2 * RADIUS + 1;
    const matched = convert.lrn.toPyTorch({});
    // tfjs's LRN works on NHWC: transpose in and out so all columns share one layout.
    const tfjsLrn = tf.tidy(() => tf.transpose(
        tf.localResponseNormalization(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D), [0, 3, 1, 2]));
    return [
      {
        key: 'ms', title: 'MindSpore',
        setting: 'nn.LRN(depth_radius=5, bias=1, alpha=1, beta=0.5)', how: 'this package: lrn(x)',
        values: await take(lrn(x)),
      },
      {
        key: 'torch', title: 'PyTorch default',
        setting: `nn.LocalResponseNorm(size=${size}, alpha=1e-4, beta=0.75, k=1)`,
        how: `this package: torchLocalResponseNorm(x, ${size}) (size has no default: ` +
            `${size} is MindSpore's window)`,
        values: await take(torchLocalResponseNorm(x, size)),
      },
      {
        key: 'tfjs', title: 'tfjs default',
        setting: 'tf.localResponseNormalization(x) (depthRadius 5, bias 1, alpha 1, beta 0.5)',
        how: 'tfjs, on the NHWC transpose', values: await take(tfjsLrn),
      },
      {
        key: 'match', title: 'PyTorch, matched',
        setting: `nn.LocalResponseNorm(size=${matched.size}, alpha=${matched.alpha}, ` +
            `beta=${matched.beta}, k=${matched.k})`,
        how: 'convert.lrn.toPyTorch({}), then torchLocalResponseNorm',
        values: await take(torchLocalResponseNorm(
            x, matched.size, matched.alpha, matched.beta, matched.k)),
      },
    ];
  },
};
