// SPDX-License-Identifier: Apache-2.0
/**
 * A model built from stock tfjs layers and this package's layers, trained
 * with fit() for a few steps on each backend, ends with the same losses,
 * moving statistics and weights as the same model trained on the CPU backend
 * (the reference: its kernels accumulate in float64).
 */
import {BackendUnderTest, describeEachBackend} from '../backends/backend_under_test';
import {expectSameTraining, TrainResult} from '../backends/compare_training';

async function train(b: BackendUnderTest, backend: string): Promise<TrainResult> {
  return b.evaluate(async (h, backendName: string) => {
    const {tf, tfl, ms, refs} = h;
    await tf.setBackend(backendName);
    // tfjs's per-kernel leak check (IS_TEST) flags tfjs-wasm's own matMul
    // gradient; the tensor count below is this test's leak check.
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', isTest && backendName !== 'wasm');
    const before = tf.memory().numTensors;
    const seeded = (seed: number) => tfl.initializers.glorotUniform({seed});
    const model = tfl.sequential({
      layers: [
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
      ],
    });
    const optimizer = tf.train.sgd(0.1);
    model.compile({optimizer, loss: 'meanSquaredError'});
    const next = refs.rng(42);
    const x = tf.tensor(refs.randomValues(8 * 72, next), [8, 72]);
    const y = tf.tensor(refs.randomValues(8, next), [8, 1]);
    const history = await model.fit(x, y, {epochs: 4, batchSize: 4, shuffle: false, verbose: 0});
    const weights: Record<string, number[]> = {};
    for (const w of model.weights) {
      weights[w.originalName] = Array.from(await w.read().data());
    }
    const p = model.predict(x) as typeof x;
    const prediction = Array.from(await p.data());
    tf.dispose([x, y, p]);
    model.dispose();
    optimizer.dispose();
    tf.env().set('IS_TEST', isTest);
    return {
      backend: tf.getBackend(),
      losses: history.history['loss'] as number[],
      weights,
      prediction,
      leaked: tf.memory().numTensors - before,
    };
  }, backend);
}

describeEachBackend('layers', b => {
  it('fit() matches fit() on cpu: losses, moving statistics, weights', async () => {
    const cpu = await train(b, 'cpu');
    const cpuWeights = expectSameTraining(cpu, await train(b, b.backend), b.backend);
    // BatchNorm2d, BatchNorm1d and InstanceNorm2d (held, unused) have moving statistics,
    // and BatchNorm2d's really moved during training.
    const moving = cpuWeights.filter(([n]) => /moving_/.test(n));
    expect(moving.length).toBe(6);
    expect(moving[0][1].some(v => v !== 0)).toBe(true);
  }, 120000);
}, b => b.backend !== 'cpu');
