// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {loadMindSporeWeights, mint, readMindSporeCheckpoint, saveMindSporeCheckpoint} from '../../src';
import {expectClose} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('loadMindSporeWeights with mint checkpoint names', () => {
  it('maps weight, bias, running_mean, running_var and num_batches_tracked by name', () => {
    const model = tfl.sequential({
      layers: [
        mint.batchNorm2d({numFeatures: 2, name: 'bn', inputShape: [2, 1, 3]}),
        mint.layerNorm({normalizedShape: 3, name: 'ln'}),
        mint.groupNorm({numGroups: 1, numChannels: 2, name: 'gn'}),
      ],
    });
    const ckpt: Record<string, tf.Tensor> = {
      'bn.weight': tf.tensor([2, 3]),
      'bn.bias': tf.tensor([0.5, -0.5]),
      'bn.running_mean': tf.tensor([1, -1]),
      'bn.running_var': tf.tensor([4, 0.25]),
      'bn.num_batches_tracked': tf.scalar(7, 'int32'),
      'ln.weight': tf.tensor([1, 2, 3]),
      'ln.bias': tf.tensor([0, 0, 1]),
      'gn.weight': tf.tensor([0.5, 1.5]),
      'gn.bias': tf.tensor([1, 2]),
    };
    // Through MindSpore's file format and back (num_batches_tracked as an Int32 scalar).
    const read = readMindSporeCheckpoint(saveMindSporeCheckpoint(ckpt));
    const result = loadMindSporeWeights(model, read);
    expect(result.assigned.sort()).toEqual(Object.keys(ckpt).sort());
    expect(result.unmatchedWeights).toEqual([]);
    expect(result.unmatchedCheckpoint).toEqual([]);
    for (const w of model.weights) {
      const tag = w.originalName.replace('/', '.');
      expect({tag, values: Array.from(w.read().dataSync()), dtype: w.dtype})
          .toEqual({tag, values: Array.from(ckpt[tag].dataSync()), dtype: ckpt[tag].dtype});
    }
    // Inference uses the loaded running statistics: (x - 1) / sqrt(4 + eps) * 2 + 0.5 on channel 0.
    model.layers.forEach(l => (l as mint.MintBatchNormBase).setTrain(false));
    const bnOut = model.layers[0].apply(tf.tensor([[[[1, 3, 5]], [[0, 0, 0]]]])) as tf.Tensor;
    const s = Math.sqrt(4 + 1e-5);
    const s1 = Math.sqrt(0.25 + 1e-5);
    expectClose(bnOut.dataSync(), [0.5, 2 * 2 / s + 0.5, 2 * 4 / s + 0.5, 3 / s1 - 0.5,
                                   3 / s1 - 0.5, 3 / s1 - 0.5], 1e-5);
    tf.dispose([bnOut, ...Object.values(ckpt), ...read.values()]);
    model.dispose();
  });
});
