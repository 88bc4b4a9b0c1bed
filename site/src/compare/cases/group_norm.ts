// SPDX-License-Identifier: Apache-2.0
import {groupNorm, layers} from '../../../../src';

import {applyOnce, Column, OpCase, rankAtLeast, take} from './case';
import {torchGroupNormReference} from './torch_group_norm_ref';

/** gamma and beta a MindSpore checkpoint could hold for a GroupNorm with affine=False. */
const LOADED_GAMMA = 2;
const LOADED_BETA = 0.5;

/** Two groups when the channels split evenly, else one. */
export function groupsFor(channels: number): number {
  return channels % 2 === 0 ? 2 : 1;
}

export const groupNormCase: OpCase = {
  id: 'groupNorm',
  label: 'GroupNorm',
  summary: 'The same formula and eps (1e-5) in MindSpore and PyTorch; tfjs has no GroupNorm. ' +
      'The layers differ: with affine=False MindSpore still applies gamma and beta (a checkpoint ' +
      'may hold them), PyTorch has none.',
  defaultInput: {
    values: [0.1, 0.4, 0.2, 1.5, 1.1, 1.9, -3, 2, 0.5, 0.25, 0.75, 0.5],
    shape: [1, 4, 3],
  },
  generatedShape: [2, 4, 2],
  checkShape: rankAtLeast(2, 'an (N, C, ...) tensor of rank >= 2'),
  variants: [
    {id: 'op', label: 'the functional op (no gamma, beta)'},
    {id: 'affineFalse', label: `the layer, affine=False, gamma ${LOADED_GAMMA} and beta ${LOADED_BETA} loaded`},
  ],
  async run(x, variant) {
    const c = (x.shape as number[])[1];
    const groups = groupsFor(c);
    const plain = torchGroupNormReference(Array.from(await x.data()), x.shape, groups);
    const tfjs: Column = {
      key: 'tfjs', title: 'tfjs default', setting: 'no GroupNorm in tfjs', how: '—', values: null,
    };
    if (variant === 'op') {
      return [
        {
          key: 'ms', title: 'MindSpore', setting: `ops.group_norm(x, ${groups}, eps=1e-5)`,
          how: `this package: groupNorm(x, ${groups})`, values: await take(groupNorm(x, groups)),
        },
        {
          key: 'torch', title: 'PyTorch default', setting: `F.group_norm(x, ${groups}, eps=1e-5)`,
          how: 'a float64 reference of PyTorch\'s formula, in this page', values: plain,
        },
        tfjs,
      ];
    }
    const layer = layers.groupNorm(
        {numGroups: groups, numChannels: c, affine: false, gammaInit: LOADED_GAMMA,
         betaInit: LOADED_BETA});
    return [
      {
        key: 'ms', title: 'MindSpore',
        setting: `nn.GroupNorm(${groups}, C, affine=False), gamma ${LOADED_GAMMA}, beta ${LOADED_BETA}`,
        how: 'this package: layers.groupNorm({affine: false, gammaInit, betaInit}): still applied',
        values: await applyOnce(layer, x, null),
      },
      {
        key: 'torch', title: 'PyTorch default', setting: `nn.GroupNorm(${groups}, C, affine=False)`,
        how: 'no weight or bias at all: the float64 reference of its formula', values: plain,
      },
      tfjs,
      {
        key: 'match', title: 'PyTorch, matched',
        setting: `nn.GroupNorm(${groups}, C) with weight ${LOADED_GAMMA}, bias ${LOADED_BETA}`,
        how: 'the float64 reference, times weight plus bias',
        values: plain.map(v => v * LOADED_GAMMA + LOADED_BETA),
      },
    ];
  },
};
