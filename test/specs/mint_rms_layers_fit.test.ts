// SPDX-License-Identifier: Apache-2.0
/**
 * RMSNorm and the mint layers in one model, trained with fit() on each
 * backend, end with the same losses, running statistics (num_batches_tracked
 * included) and weights as the same training on the CPU backend (the
 * reference: its kernels accumulate in float64).
 */
import {describeEachBackend} from '../backends/backend_under_test';
import {expectTrainsAsOnCpu, Training} from '../backends/compare_training';

const training: Training = ({tfl, ms, refs}, backendName) => refs.fitAndRead(backendName, seeded => [
  tfl.layers.dense({inputShape: [24], units: 48, useBias: false, kernelInitializer: seeded(1)}),
  tfl.layers.reshape({targetShape: [4, 3, 4]}),
  ms.mint.batchNorm2d({numFeatures: 4, momentum: null}),
  ms.mint.groupNorm({numGroups: 2, numChannels: 4}),
  ms.mint.layerNorm({normalizedShape: [3, 4]}),
  ms.layers.rmsNorm({normalizedShape: 4}),
  tfl.layers.reshape({targetShape: [4, 12]}),
  ms.mint.batchNorm1d({numFeatures: 4}),
  tfl.layers.flatten(),
  tfl.layers.dense({units: 1, useBias: false, kernelInitializer: seeded(2)}),
], {inputSize: 24, seed: 7, epochs: 3, beforePredict: model => ms.setTrain(model, false)});

describeEachBackend('RMSNorm and mint layers', b => {
  it('fit() matches fit() on cpu: losses, running statistics, weights, inference', async () => {
    const cpuWeights = await expectTrainsAsOnCpu(b, training);
    // 3 epochs of 2 batches: each mint BatchNorm counted 6 batches.
    const counts = cpuWeights.filter(([n]) => /num_batches_tracked/.test(n)).map(([, v]) => v);
    expect(counts).toEqual([[6], [6]]);
    expect(cpuWeights.filter(([n]) => /rms_norm.*\/weight/.test(n)).length).toBe(1);
  }, 120000);
}, b => b.backend !== 'cpu');
