// SPDX-License-Identifier: Apache-2.0
/**
 * A model built from stock tfjs layers and this package's layers, trained
 * with fit() for a few steps on each backend, ends with the same losses,
 * moving statistics and weights as the same model trained on the CPU backend
 * (the reference: its kernels accumulate in float64).
 */
import {describeEachBackend} from '../backends/backend_under_test';
import {expectTrainsAsOnCpu, Training} from '../backends/compare_training';

const training: Training = ({tfl, ms, refs}, backendName) => refs.fitAndRead(backendName, seeded => [
  // A dense layer and a reshape make the NCHW features.
  tfl.layers.dense({inputShape: [72], units: 64, useBias: false, kernelInitializer: seeded(1)}),
  tfl.layers.reshape({targetShape: [4, 4, 4]}),
  ms.layers.batchNorm2d({numFeatures: 4, momentum: 0.8}),
  ms.layers.lrn({depthRadius: 1, alpha: 0.1, beta: 0.75}),
  ms.layers.groupNorm({numGroups: 2, numChannels: 4}),
  ms.layers.instanceNorm2d({numFeatures: 4}),
  tfl.layers.flatten(),
  tfl.layers.dense({units: 6, useBias: false, kernelInitializer: seeded(2)}),
  ms.layers.batchNorm1d({numFeatures: 6, varianceUpdate: 'biased'}),
  ms.layers.layerNorm({normalizedShape: [6]}),
  ms.layers.l2Normalize({axis: 1}),
  tfl.layers.dense({units: 1, useBias: false, kernelInitializer: seeded(3)}),
], {inputSize: 72, seed: 42, epochs: 4});

describeEachBackend('layers', b => {
  it('fit() matches fit() on cpu: losses, moving statistics, weights', async () => {
    const cpuWeights = await expectTrainsAsOnCpu(b, training);
    // BatchNorm2d, BatchNorm1d and InstanceNorm2d (held, unused) have moving statistics,
    // and BatchNorm2d's really moved during training.
    const moving = cpuWeights.filter(([n]) => /moving_/.test(n));
    expect(moving.length).toBe(6);
    expect(moving[0][1].some(v => v !== 0)).toBe(true);
  }, 120000);
}, b => b.backend !== 'cpu');
