// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {convert, layers, loadMindSporeWeights, mint} from '../../src';
import {expectClose, randomValues, rng} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('convert.mint', () => {
  it('maps mint momentum 0.1 to nn 0.9 and back, without float noise', () => {
    expect(convert.mint.momentumFromMint(0.1)).toBe(0.9);
    expect(convert.mint.momentumToMint(0.9)).toBe(0.1);
    expect(convert.mint.momentumFromMint(1)).toBe(0);
  });

  it('gives identical outputs and running statistics for a mint layer and its converted nn layer',
     () => {
       const next = rng(4);
       const m = 0.3;
       const ours = mint.batchNorm2d({numFeatures: 2, momentum: m});
       const nn = layers.batchNorm2d({numFeatures: 2, momentum: convert.mint.momentumFromMint(m)})
                      .setTrain(true);
       for (let i = 0; i < 3; i++) {
         const x = tf.tensor(randomValues(3 * 2 * 2 * 2, next, -2, 2), [3, 2, 2, 2]);
         const a = ours.apply(x) as tf.Tensor;
         const b = nn.apply(x) as tf.Tensor;
         expectClose(a.dataSync(), b.dataSync(), 1e-6);
         tf.dispose([x, a, b]);
       }
       const byName = (l: tfl.layers.Layer) => Object.fromEntries(
           l.weights.map(w => [w.originalName.split('/').pop()!, Array.from(w.read().dataSync())]));
       const w = byName(ours);
       const v = byName(nn);
       for (const name of ['weight', 'bias', 'running_mean', 'running_var']) {
         expectClose(w[name], v[convert.mint.paramNameToNn(name)!], 1e-6);
       }
     });

  it('renames norm parameters and checkpoint tags between mint and nn', () => {
    expect(['weight', 'bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked']
               .map(convert.mint.paramNameToNn))
        .toEqual(['gamma', 'beta', 'bn1.moving_mean', 'bn1.moving_variance', null]);
    expect(['gamma', 'net.bn.beta', 'bn.mean', 'bn.moving_mean', 'bn.variance', 'moving_variance']
               .map(convert.mint.paramNameFromNn))
        .toEqual(['weight', 'net.bn.bias', 'bn.running_mean', 'bn.running_mean',
                  'bn.running_var', 'running_var']);
  });

  it('lets a mint checkpoint load into nn layers through a nameMap', () => {
    const model = tfl.sequential(
        {layers: [layers.batchNorm1d({numFeatures: 2, name: 'bn', inputShape: [2]})]});
    const ckpt = new Map<string, tf.Tensor>([
      ['bn.weight', tf.tensor([2, 3])], ['bn.bias', tf.tensor([1, 0])],
      ['bn.running_mean', tf.tensor([0.5, 0.25])], ['bn.running_var', tf.tensor([4, 9])],
      ['bn.num_batches_tracked', tf.scalar(3, 'int32')],
    ]);
    const result = loadMindSporeWeights(model, ckpt, {nameMap: convert.mint.paramNameToNn});
    expect(result.unmatchedCheckpoint).toEqual(['bn.num_batches_tracked']);
    expect(result.unmatchedWeights).toEqual([]);
    expect(model.getWeights().map(w => Array.from(w.dataSync())))
        .toEqual([[2, 3], [1, 0], [0.5, 0.25], [4, 9]]);
    tf.dispose([...ckpt.values()]);
    model.dispose();
  });

  it('rejects momentum null (no nn equivalent) and non-norm names', () => {
    expect(() => convert.mint.momentumFromMint(null as unknown as number))
        .toThrow(/convert.mint.momentumFromMint: 'momentum' must be a number in range \[0, 1\], but got null. \(mint's momentum=None/);
    expect(() => convert.mint.momentumToMint(1.5))
        .toThrow("convert.mint.momentumToMint: 'momentum' must be a number in range [0, 1], but got 1.5.");
    expect(() => convert.mint.paramNameToNn('fc.kernel'))
        .toThrow(/convert.mint.paramNameToNn: 'tag' must be a norm parameter among weight, bias, running_mean, running_var, num_batches_tracked, but got 'fc.kernel'/);
    expect(() => convert.mint.paramNameFromNn('weight'))
        .toThrow(/convert.mint.paramNameFromNn: 'tag' must be a norm parameter among gamma/);
  });
});
