// SPDX-License-Identifier: Apache-2.0
/**
 * RMSNorm and the mint layers in one model, trained with fit() on each
 * backend, end with the same losses, running statistics (num_batches_tracked
 * included) and weights as the same training on the CPU backend (the
 * reference: its kernels accumulate in float64).
 */
import {BackendUnderTest, describeEachBackend} from '../backends/backend_under_test';
import {expectSameTraining, TrainResult} from '../backends/compare_training';

async function train(b: BackendUnderTest, backend: string): Promise<TrainResult> {
  return b.evaluate(async (h, backendName: string) => {
    const {tf, tfl, ms, refs} = h;
    await tf.setBackend(backendName);
    // As in layers_fit: tfjs's per-kernel leak check flags tfjs-wasm's own matMul gradient.
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', isTest && backendName !== 'wasm');
    const before = tf.memory().numTensors;
    const seeded = (seed: number) => tfl.initializers.glorotUniform({seed});
    const model = tfl.sequential({
      layers: [
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
      ],
    });
    const optimizer = tf.train.sgd(0.1);
    model.compile({optimizer, loss: 'meanSquaredError'});
    const next = refs.rng(7);
    const x = tf.tensor(refs.randomValues(8 * 24, next), [8, 24]);
    const y = tf.tensor(refs.randomValues(8, next), [8, 1]);
    const history = await model.fit(x, y, {epochs: 3, batchSize: 4, shuffle: false, verbose: 0});
    const weights: Record<string, number[]> = {};
    for (const w of model.weights) {
      weights[w.originalName] = Array.from(await w.read().data());
    }
    ms.setTrain(model, false);
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

describeEachBackend('RMSNorm and mint layers', b => {
  it('fit() matches fit() on cpu: losses, running statistics, weights, inference', async () => {
    const cpu = await train(b, 'cpu');
    const cpuWeights = expectSameTraining(cpu, await train(b, b.backend), b.backend);
    // 3 epochs of 2 batches: each mint BatchNorm counted 6 batches.
    const counts = cpuWeights.filter(([n]) => /num_batches_tracked/.test(n)).map(([, v]) => v);
    expect(counts).toEqual([[6], [6]]);
    expect(cpuWeights.filter(([n]) => /rms_norm.*\/weight/.test(n)).length).toBe(1);
  }, 120000);
}, b => b.backend !== 'cpu');
