// SPDX-License-Identifier: Apache-2.0
import {groupNorm} from '../../../../src';

import {OpCase, rankAtLeast, take} from './case';
import {torchGroupNormReference} from './torch_group_norm_ref';

/** Two groups when the channels split evenly, else one. */
export function groupsFor(channels: number): number {
  return channels % 2 === 0 ? 2 : 1;
}

export const groupNormCase: OpCase = {
  id: 'groupNorm',
  label: 'GroupNorm',
  summary: 'The same formula and eps (1e-5) in MindSpore and PyTorch; tfjs has no GroupNorm. ' +
      'The difference is in the layer: MindSpore keeps gamma/beta when affine=False.',
  defaultInput: {
    values: [0.1, 0.4, 0.2, 1.5, 1.1, 1.9, -3, 2, 0.5, 0.25, 0.75, 0.5],
    shape: [1, 4, 3],
  },
  generatedShape: [2, 4, 2],
  checkShape: rankAtLeast(2, 'an (N, C, ...) tensor of rank >= 2'),
  async run(x, _variant) {
    const groups = groupsFor((x.shape as number[])[1]);
    return [
      {
        key: 'ms', title: 'MindSpore', setting: `ops.group_norm(x, ${groups}, eps=1e-5)`,
        how: `this package: groupNorm(x, ${groups})`, values: await take(groupNorm(x, groups)),
      },
      {
        key: 'torch', title: 'PyTorch default', setting: `F.group_norm(x, ${groups}, eps=1e-5)`,
        how: 'a float64 reference of PyTorch\'s formula, in this page',
        values: torchGroupNormReference(Array.from(await x.data()), x.shape, groups),
      },
      {
        key: 'tfjs', title: 'tfjs default', setting: 'no GroupNorm in tfjs',
        how: '—', values: null,
      },
    ];
  },
};
