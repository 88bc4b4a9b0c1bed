// SPDX-License-Identifier: Apache-2.0
import {MsBatchNormGrad, MsBatchNormInference, MsBatchNormTraining} from '../../src/kernel_names';
import type {BatchNormOptions} from '../../src';
import {affineInputs, batchNormRef, BatchNormRefArgs, centralDiff, channelLayout, channelStatsRef, expectClose, normalizeGradRef, randomValues, rng, runningStatsRef, seedCases, seedShape, seedValues, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

type Format = 'NCHW'|'NHWC';

interface BatchNormCase {
  shape: number[];
  format: Format;
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

function channelAxis(shape: number[], format: Format): number {
  return format === 'NHWC' ? shape.length - 1 : 1;
}

function randomCase(shape: number[], format: Format, seed: number, offset = 0): BatchNormCase {
  const channels = shape[channelAxis(shape, format)];
  const {x, gamma, beta, next} = affineInputs(shape, channels, seed, [offset - 2, offset + 2]);
  return {
    shape,
    format,
    x,
    gamma,
    beta,
    mean: randomValues(channels, next, -0.5, 0.5),
    variance: randomValues(channels, next, 0.5, 2),
  };
}

function inputs(c: BatchNormCase) {
  const ch = [c.gamma.length];
  return {
    x: spec(c.x, c.shape),
    gamma: spec(c.gamma, ch),
    beta: spec(c.beta, ch),
    runningMean: spec(c.mean, ch),
    runningVar: spec(c.variance, ch),
  };
}

function trainingRun(
    c: BatchNormCase, varianceUpdate: 'unbiased'|'biased' = 'unbiased',
    momentum = 0.1): Run<KernelRun> {
  return {
    kernel: MsBatchNormTraining,
    inputs: inputs(c),
    attrs: {momentum, epsilon: 1e-5, dataFormat: c.format, varianceUpdate},
  };
}

function inferenceRun(c: BatchNormCase): Run<KernelRun> {
  return {
    kernel: MsBatchNormInference,
    inputs: inputs(c),
    attrs: {epsilon: 1e-5, dataFormat: c.format},
  };
}

function ref(c: BatchNormCase, training: boolean) {
  return (x: ArrayLike<number>, gamma: ArrayLike<number> = c.gamma, beta: ArrayLike<number> = c.beta) =>
      batchNormRef(x, c.shape, {
        axis: channelAxis(c.shape, c.format),
        training,
        runningMean: c.mean,
        runningVar: c.variance,
        gamma,
        beta,
        eps: 1e-5,
      });
}

describeEachBackend('MsBatchNormTraining / MsBatchNormInference', b => {
  for (const c of seedCases('BatchNorm1d')) {
    it(`reproduces ${c.id} through the op (layer momentum 0.9 == op momentum 0.1)`, async () => {
      const shape = seedShape(c);
      const channels = shape[1];
      const [y, runningMean, runningVar] = await b.runOp({
        op: 'batchNorm',
        args: [
          {tensor: spec(seedValues(c, 'input'), shape)},
          {tensor: spec(new Array(channels).fill(0), [channels])},
          {tensor: spec(new Array(channels).fill(1), [channels])}, null, null,
          {training: c.mode === 'train', momentum: 0.1},
        ],
      });
      expectClose(y.values, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
      // MindSpore's default moving-variance update uses the unbiased batch variance.
      const stats = runningStatsRef(
          [seedValues(c, 'input')], shape, 1, new Array(channels).fill(0),
          new Array(channels).fill(1), 0.1, 'unbiased');
      const statsRtol = b.accumulation === 'float64' ? 0 : 1e-5;
      expectClose(runningMean.values, stats.mean, 1e-6, statsRtol);
      expectClose(runningVar.values, stats.variance, 1e-6, statsRtol);
      expectClose(runningMean.values, [0.06, 0.045, 0.055, 0.075], 1e-6);
      expectClose(runningVar.values, [0.902, 0.9005, 0.9005, 0.9045], 1e-6);
    });
  }

  // [shape, format]: ranks 2-5, both layouts, and a large batch whose
  // per-channel sums take window stages.
  const cases: Array<[number[], Format]> = [
    [[4, 3, 2, 2], 'NCHW'],
    [[5, 3], 'NCHW'],
    [[2, 3, 2, 2, 2], 'NCHW'],
    [[2, 2, 2, 3], 'NHWC'],
    [[3, 4, 5], 'NHWC'],
    [[32, 4, 16, 16], 'NCHW'],
  ];
  for (const [shape, format] of cases) {
    for (const varianceUpdate of ['unbiased', 'biased'] as const) {
      it(`trains like float64: [${shape}] ${format}, ${varianceUpdate} update`,
         async () => {
           const c = randomCase(shape, format, sizeOf(shape) + shape.length);
           const [y, newMean, newVar] =
               await b.runKernel(trainingRun(c, varianceUpdate));
           expect([y.shape, newMean.shape, newVar.shape])
               .toEqual([shape, [c.gamma.length], [c.gamma.length]]);
           expectClose(y.values, ref(c, true)(c.x), 1e-5, 1e-4);
           const stats = runningStatsRef(
               [c.x], shape, channelAxis(shape, format), c.mean, c.variance, 0.1, varianceUpdate);
           expectClose(newMean.values, stats.mean, 1e-6, 1e-4);
           expectClose(newVar.values, stats.variance, 1e-6, 1e-4);
         });
    }
    it(`infers like float64: [${shape}] ${format}`, async () => {
      const c = randomCase(shape, format, sizeOf(shape) * 3);
      const [y] = await b.runKernel(inferenceRun(c));
      expectClose(y.values, ref(c, false)(c.x), 1e-5, 1e-4);
    });
  }

  it('stays accurate for data far from zero (two-pass variance)', async () => {
    const c = randomCase([16, 3, 8, 8], 'NCHW', 5, 100);
    const [y] = await b.runKernel(trainingRun(c));
    expectClose(y.values, ref(c, true)(c.x), 1e-4, 1e-4);
  });

  it('with one value per channel, leaves the running variance alone (unbiased) or moves it to 0 (biased)',
     async () => {
       const c = randomCase([1, 3], 'NCHW', 6);
       const [, meanU, varU] = await b.runKernel(trainingRun(c, 'unbiased', 0.25));
       const [, meanB, varB] = await b.runKernel(trainingRun(c, 'biased', 0.25));
       const newMean = Array.from(c.mean, (m, i) => 0.75 * m + 0.25 * c.x[i]);
       expectClose(meanU.values, newMean, 1e-6, 1e-5);
       expectClose(meanB.values, newMean, 1e-6, 1e-5);
       expectClose(varU.values, c.variance, 0);
       expectClose(varB.values, Array.from(c.variance, v => 0.75 * v), 1e-6, 1e-5);
     });

  it('passes the running statistics through for an empty batch', async () => {
    const c = {...randomCase([1, 3], 'NCHW', 7), shape: [0, 3], x: new Float32Array(0)};
    const [y, newMean, newVar] = await b.runKernel(trainingRun(c));
    expect(y).toEqual({values: [], shape: [0, 3]});
    expectClose(newMean.values, c.mean, 0);
    expectClose(newVar.values, c.variance, 0);
  });

  it('reads packed input textures correctly', async () => {
    const c = randomCase([4, 3, 2, 2], 'NHWC', 8);
    const [y] = await b.runKernel({...trainingRun(c), packedInputs: true});
    expectClose(y.values, ref(c, true)(c.x), 1e-5, 1e-4);
    const [yInf] = await b.runKernel({...inferenceRun(c), packedInputs: true});
    expectClose(yInf.values, ref(c, false)(c.x), 1e-5, 1e-4);
  });

  it('holds GPU memory steady over repeated calls', async () => {
    const c = randomCase([16, 4, 8, 8], 'NCHW', 9);
    await expectSteadyMemory(b, trainingRun(c));
    await expectSteadyMemory(b, inferenceRun(c));
  });

  describe('gradient (MsBatchNormGrad)', () => {
    const gradCases: Array<[number[], Format]> = [
      [[4, 3], 'NCHW'], [[2, 3, 2, 2], 'NCHW'], [[3, 2, 4], 'NHWC'], [[3, 2, 4], 'NCHW'],
      [[2, 2, 3, 3], 'NCHW'], [[2, 3, 2, 3], 'NHWC'],
    ];
    // The cpu kernels hold a float64-level bound; float32 sums of
    // central-difference-sized terms reach ~1e-4.
    const [gradAtol, gradRtol] = b.accumulation === 'float64' ? [1e-5, 1e-4] : [1e-4, 1e-3];
    for (const [shape, format] of gradCases) {
      for (const training of [true, false]) {
        it(`matches float64 differences (${training ? 'training' : 'inference'}, [${shape}] ${format})`,
           async () => {
             const c = randomCase(shape, format, sizeOf(shape) * 11 + (training ? 1 : 0));
             const dyv = randomValues(sizeOf(shape), rng(12), -1, 1);
             const base = training ? trainingRun(c) : inferenceRun(c);
             const run = {...base, wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
             const grads = await b.gradKernel(run);
             const f = ref(c, training);
             expectClose(grads[0].values, centralDiff(v => f(v), c.x, dyv), gradAtol, gradRtol);
             expectClose(grads[1].values, centralDiff(v => f(c.x, v), c.gamma, dyv), gradAtol, gradRtol);
             expectClose(grads[2].values, centralDiff(v => f(c.x, c.gamma, v), c.beta, dyv), gradAtol,
                         gradRtol);
           });
      }
    }

    for (const training of [true, false]) {
      it(`matches the float64 backward pass on a large batch (${training ? 'training' : 'inference'})`,
         async () => {
           const c = randomCase([32, 4, 12, 12], 'NCHW', 13);
           const dyv = randomValues(c.x.length, rng(14), -1, 1);
           const run = (): Run<KernelRun> => ({
             kernel: MsBatchNormGrad,
             inputs: {...inputs(c), dy: spec(dyv, c.shape)},
             attrs: {training, epsilon: 1e-5, dataFormat: 'NCHW'},
           });
           const out = await b.runKernel(run());
           expect(out.map(t => t.shape)).toEqual([c.shape, [4], [4]]);
           const fixedStats = training ? undefined : {mean: c.mean, variance: c.variance};
           const expected = normalizeGradRef(c.x, dyv, channelLayout(c.shape, 1), c.gamma, 1e-5, {fixedStats});
           [expected.dx, expected.dgamma, expected.dbeta].forEach(
               (e, i) => expectClose(out[i].values, e, 1e-4, 1e-4));
         });
    }

    it('gives zero dgamma/dbeta and an empty dx for an empty batch', async () => {
      const c = {...randomCase([1, 3], 'NCHW', 15), shape: [0, 3], x: new Float32Array(0)};
      const outputs = await b.runKernel({
        kernel: MsBatchNormGrad,
        inputs: {...inputs(c), dy: spec([], [0, 3])},
        attrs: {training: true, epsilon: 1e-5, dataFormat: 'NCHW'},
      });
      expect(outputs).toEqual([
        {values: [], shape: [0, 3]}, {values: [0, 0, 0], shape: [3]}, {values: [0, 0, 0], shape: [3]},
      ]);
    });

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const c = randomCase([8, 4, 6, 6], 'NCHW', 16);
      const dy = spec(randomValues(c.x.length, rng(17)), c.shape);
      await expectSteadyMemory(b, {...trainingRun(c), wrt: ['x', 'gamma', 'beta'], dy});
      await expectSteadyMemory(b, {...inferenceRun(c), wrt: ['x', 'gamma', 'beta'], dy});
    });
  });
});

/** Random float32 data for one op case: x plus per-channel parameters. */
function makeCase(shape: number[], axis: number, seed: number) {
  const next = rng(seed);
  const c = shape[axis];
  return {
    x: randomValues(sizeOf(shape), next, -3, 3),
    runningMean: randomValues(c, next, -1, 1),
    runningVar: randomValues(c, next, 0.5, 2),
    gamma: randomValues(c, next, 0.5, 2),
    beta: randomValues(c, next, -1, 1),
  };
}

describeEachBackend('batchNorm', b => {
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});
  /** batchNorm(...args) on the backend: y and the updated running statistics. */
  const batchNormOp = async (...args: unknown[]) => {
    const [y, runningMean, runningVar] = await b.runOp({op: 'batchNorm', args});
    return {y, runningMean, runningVar};
  };

  const shapes: Array<[number[], Format]> = [
    [[5, 3], 'NCHW'],           // (N, C)
    [[4, 3, 6], 'NCHW'],        // (N, C, L)
    [[2, 3, 4, 5], 'NCHW'],     // (N, C, H, W)
    [[2, 3, 2, 3, 2], 'NCHW'],  // (N, C, D, H, W)
    [[2, 4, 5, 3], 'NHWC'],
    [[6, 4], 'NHWC'],           // rank 2: channel axis last == axis 1
    [[2, 2, 3, 2, 4], 'NHWC'],
  ];
  for (const training of [false, true]) {
    for (const [shape, dataFormat] of shapes) {
      it(`matches the float64 reference in ${training ? 'training' : 'inference'} for ` +
         `[${shape}] ${dataFormat}`, async () => {
        const axis = channelAxis(shape, dataFormat);
        const d = makeCase(shape, axis, sizeOf(shape) * 17 + (training ? 1 : 0));
        const [x, mean, variance, gamma, beta] = [d.x, d.runningMean, d.runningVar, d.gamma, d.beta].map(
            (v, i) => tensor(v, i === 0 ? shape : [shape[axis]]));
        const out = await batchNormOp(x, mean, variance, gamma, beta,
                                      {training, momentum: 0.25, eps: 1e-3, dataFormat});
        const ref: BatchNormRefArgs = {...d, axis, training, eps: 1e-3};
        expectClose(out.y.values, batchNormRef(d.x, shape, ref), 1e-5);
        const stats = training ?
            runningStatsRef([d.x], shape, axis, d.runningMean, d.runningVar, 0.25, 'unbiased') :
            {mean: d.runningMean, variance: d.runningVar};
        expectClose(out.runningMean.values, stats.mean, 1e-6);
        expectClose(out.runningVar.values, stats.variance, 1e-6);
      });
    }
  }

  it('defaults to inference, momentum 0.1, eps 1e-5, NCHW, unbiased update', async () => {
    const shape = [4, 3, 2];
    const d = makeCase(shape, 1, 5);
    const [rm, rv] = [Array.from(d.runningMean), Array.from(d.runningVar)];
    const r = await batchNormOp(tensor(d.x, shape), rm, rv);
    const base = {...d, axis: 1, eps: 1e-5, gamma: [1, 1, 1], beta: [0, 0, 0]};
    expectClose(r.y.values, batchNormRef(d.x, shape, {...base, training: false}), 1e-5);
    const t = await batchNormOp(tensor(d.x, shape), rm, rv, null, null, {training: true});
    expectClose(t.y.values, batchNormRef(d.x, shape, {...base, training: true}), 1e-5);
    const stats = runningStatsRef([d.x], shape, 1, d.runningMean, d.runningVar, 0.1, 'unbiased');
    expectClose(t.runningMean.values, stats.mean, 1e-6);
    expectClose(t.runningVar.values, stats.variance, 1e-6);
  });

  it('leaves the running statistics unchanged in inference and returns owned copies', async () => {
    const out = await b.evaluate(async h => {
      const {tf, ms} = h;
      const before = tf.memory().numTensors;
      const mean = tf.tensor([0.5, -1]);
      const variance = tf.tensor([2, 0.25]);
      const x = tf.tensor([[1, 2], [3, 4]]);
      const r = ms.batchNorm(x, mean, variance);
      const owned = r.runningMean !== mean && r.runningVar !== variance;
      tf.dispose([mean, variance, x]);  // the caller's copies stay valid on their own
      const values = [];
      for (const t of [r.runningMean, r.runningVar, r.y]) {
        values.push(Array.from(await t.data()));
      }
      tf.dispose([r.y, r.runningMean, r.runningVar]);
      return {owned, values, leaked: tf.memory().numTensors - before};
    }, null);
    expect(out.owned).toBe(true);
    expect(out.leaked).toBe(0);
    expectClose(out.values[0], [0.5, -1], 0);
    expectClose(out.values[1], [2, 0.25], 0);
    expectClose(out.values[2], [0.5 / Math.sqrt(2 + 1e-5), 3 / Math.sqrt(0.25 + 1e-5),
                                2.5 / Math.sqrt(2 + 1e-5), 5 / Math.sqrt(0.25 + 1e-5)], 1e-5);
  });

  it('does not modify the running-statistics tensors it is given in training', async () => {
    const out = await b.evaluate(async h => {
      const {tf, ms} = h;
      const mean = tf.tensor([0.5, -1]);
      const variance = tf.tensor([2, 0.25]);
      const r = ms.batchNorm([[1, 2], [3, 4]], mean, variance, null, null, {training: true});
      tf.dispose([r.y, r.runningMean, r.runningVar]);
      const values = [Array.from(await mean.data()), Array.from(await variance.data())];
      tf.dispose([mean, variance]);
      return values;
    }, null);
    expectClose(out[0], [0.5, -1], 0);
    expectClose(out[1], [2, 0.25], 0);
  });

  for (const varianceUpdate of ['unbiased', 'biased'] as const) {
    it(`tracks a float64 simulation over several training steps (${varianceUpdate})`, async () => {
      const shape = [3, 4, 5];
      const next = rng(varianceUpdate === 'biased' ? 21 : 22);
      const batches = [0, 1, 2, 3].map(k => randomValues(sizeOf(shape), next, -2 + k, 2 + 2 * k));
      const mean0 = randomValues(4, next, -1, 1);
      const var0 = randomValues(4, next, 0.5, 2);
      const out = await b.evaluate(async (h, a) => {
        const {tf, ms} = h;
        let mean = tf.tensor(a.mean0);
        let variance = tf.tensor(a.var0);
        const before = tf.memory().numTensors;
        for (const batch of a.batches) {
          const x = tf.tensor(batch, a.shape);
          const r = ms.batchNorm(x, mean, variance, null, null,
                                 {training: true, momentum: 0.3, varianceUpdate: a.varianceUpdate});
          tf.dispose([x, r.y, mean, variance]);
          mean = r.runningMean;
          variance = r.runningVar;
        }
        const leaked = tf.memory().numTensors - before;
        const values = [Array.from(await mean.data()), Array.from(await variance.data())];
        tf.dispose([mean, variance]);
        return {values, leaked};
      }, {batches: batches.map(v => Array.from(v)), mean0: Array.from(mean0), var0: Array.from(var0),
          shape, varianceUpdate});
      expect(out.leaked).toBe(0);
      const ref = runningStatsRef(batches, shape, 1, mean0, var0, 0.3, varianceUpdate);
      expectClose(out.values[0], ref.mean, 1e-5);
      expectClose(out.values[1], ref.variance, 1e-5);
    });
  }

  it('distinguishes the unbiased from the biased variance update (factor M / (M - 1))', async () => {
    // One channel, M = 2 values 0 and 2: biased var 1, unbiased 2.
    const opts: BatchNormOptions = {training: true, momentum: 1};
    const u = await batchNormOp([[0], [2]], [0], [0], null, null, opts);
    const v = await batchNormOp([[0], [2]], [0], [0], null, null, {...opts, varianceUpdate: 'biased'});
    expectClose(u.runningVar.values, [2], 1e-6);
    expectClose(v.runningVar.values, [1], 1e-6);
    expectClose(u.runningMean.values, [1], 1e-6);
    // Normalization uses the biased variance either way.
    expectClose(u.y.values, [-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5)], 1e-6);
  });

  it('keeps the running variance with one value per channel and unbiased update (0/0)', async () => {
    const x = [[1.5, -2, 4]];  // N = 1, (N, C): M = 1 per channel
    const u = await batchNormOp(x, [0, 1, 2], [3, 4, 5], null, [0.5, 0.5, 0.5],
                                {training: true, momentum: 0.2});
    expectClose(u.runningVar.values, [3, 4, 5], 0);
    expectClose(u.runningMean.values, [0.8 * 0 + 0.2 * 1.5, 0.8 * 1 - 0.4, 0.8 * 2 + 0.8], 1e-6);
    expectClose(u.y.values, [0.5, 0.5, 0.5], 0);  // xhat = 0: y = beta
    const v = await batchNormOp(x, [0, 1, 2], [3, 4, 5], null, null,
                                {training: true, momentum: 0.2, varianceUpdate: 'biased'});
    expectClose(v.runningVar.values, [2.4, 3.2, 4], 1e-6);  // biased batch var 0
  });

  it('momentum 0 keeps the running statistics, momentum 1 replaces them', async () => {
    const shape = [4, 2];
    const xv = randomValues(8, rng(8));
    const batch = channelStatsRef(xv, shape, 1);
    const keep = await batchNormOp(tensor(xv, shape), [1, 2], [3, 4], null, null,
                                   {training: true, momentum: 0});
    expectClose(keep.runningMean.values, [1, 2], 0);
    expectClose(keep.runningVar.values, [3, 4], 0);
    const swap = await batchNormOp(tensor(xv, shape), [1, 2], [3, 4], null, null,
                                   {training: true, momentum: 1, varianceUpdate: 'biased'});
    expectClose(swap.runningMean.values, batch.mean, 1e-6);
    expectClose(swap.runningVar.values, batch.variance, 1e-6);
  });

  // The cpu kernels keep y within 1e-5 with a spread of 0.05 around 1e4
  // (float64 two-pass statistics). Float32 backends sum the 256 values near
  // 1e4 of a channel in float32: the mean is off by 4e-3 (tfjs-wasm's composed
  // fallback) or 7e-4 (WebGL), 14% and 2% of that spread. With unit spread y
  // is off by 3.4e-3 (wasm) and 1.2e-3 (webgl), bound 1e-2; the running
  // statistics hold their cpu bounds.
  const spread = b.accumulation === 'float64' ? 0.05 : 1;
  const yTol = b.accumulation === 'float64' ? 1e-5 : 1e-2;
  it(`is stable for a large mean (1e4 +- ${spread}): two-pass statistics`, async () => {
    const shape = [16, 3, 16];
    const next = rng(1234);
    const xv = randomValues(sizeOf(shape), next, 1e4 - spread, 1e4 + spread);
    const gamma = randomValues(3, next, 0.5, 2);
    const beta = randomValues(3, next, -1, 1);
    const r = await batchNormOp(tensor(xv, shape), [0, 0, 0], [1, 1, 1], Array.from(gamma),
                                Array.from(beta), {training: true, varianceUpdate: 'biased'});
    const ref = {axis: 1, training: true, runningMean: [], runningVar: [], gamma, beta, eps: 1e-5};
    expectClose(r.y.values, batchNormRef(xv, shape, ref), yTol);
    const stats = runningStatsRef([xv], shape, 1, [0, 0, 0], [1, 1, 1], 0.1, 'biased');
    expectClose(r.runningMean.values, stats.mean, 1e-3);  // ~1e3, float32 storage
    expectClose(r.runningVar.values, stats.variance, 1e-6);
  });

  it('handles an empty batch: empty y, running statistics unchanged', async () => {
    const r = await batchNormOp(tensor([], [0, 2, 3]), [1, 2], [3, 4], null, null, {training: true});
    expect(r.y.shape).toEqual([0, 2, 3]);
    expectClose(r.runningMean.values, [1, 2], 0);
    expectClose(r.runningVar.values, [3, 4], 0);
  });

  describe('gradient', () => {
    // The gradients of y for x, gamma and beta are MsBatchNormGrad's spec
    // (its case table holds these shapes).
    for (const training of [true, false]) {
      it(`gives zero gradients to the running statistics (${training ? 'training' : 'inference'})`,
         async () => {
           const out = await b.evaluate(async (h, a) => {
             const {tf, ms} = h;
             const before = tf.memory().numTensors;
             const x = tf.tensor(a.xv, [4, 3]);
             const mean = tf.tensor([0.1, 0.2, 0.3]);
             const variance = tf.tensor([1, 2, 3]);
             const grads = tf.grads((m: typeof x, v: typeof x) => tf.sum(tf.square(
                 ms.batchNorm(x, m, v, null, null, {training: a.training}).y)))([mean, variance]);
             const values = [];
             for (const g of grads) {
               values.push(Array.from(await g.data()));
             }
             tf.dispose([x, mean, variance, ...grads]);
             return {values, leaked: tf.memory().numTensors - before};
           }, {xv: Array.from(randomValues(12, rng(4))), training});
           expect(out.leaked).toBe(0);
           expectClose(out.values[0], [0, 0, 0], 0);
           expectClose(out.values[1], [0, 0, 0], 0);
         });
    }

    it('ignores gradients arriving at the updated running statistics (MindSpore bprop)', async () => {
      const shape = [4, 3];
      const xv = randomValues(12, rng(6));
      const dyv = randomValues(12, rng(7));
      const out = await b.evaluate(async (h, a) => {
        const {tf, ms} = h;
        const before = tf.memory().numTensors;
        const x = tf.tensor(a.xv, a.shape);
        const dy = tf.tensor(a.dyv, a.shape);
        const g = tf.grad((t: typeof x) => {
          const r = ms.batchNorm(t, [0, 0, 0], [1, 1, 1], null, null, {training: true});
          return tf.add(tf.sum(tf.mul(r.y, dy)), tf.add(tf.sum(r.runningMean), tf.sum(r.runningVar)));
        })(x);
        const values = Array.from(await g.data());
        tf.dispose([x, dy, g]);
        return {values, leaked: tf.memory().numTensors - before};
      }, {xv: Array.from(xv), dyv: Array.from(dyv), shape});
      expect(out.leaked).toBe(0);
      const ref = (v: Float64Array) => batchNormRef(v, shape, {
        axis: 1, training: true, eps: 1e-5, runningMean: [], runningVar: [],
        gamma: [1, 1, 1], beta: [0, 0, 0]});
      expectClose(out.values, centralDiff(ref, xv, dyv), 1e-5, 1e-4);
    });

    it('leaks nothing when only x needs a gradient (unused dgamma, dbeta released)', async () => {
      const leaked = await b.evaluate(async (h, xv) => {
        const {tf, ms} = h;
        const before = tf.memory().numTensors;
        const x = tf.tensor(xv, [2, 3, 4]);
        const gamma = tf.tensor([1, 2, 3]);
        for (const training of [true, false]) {
          const g = tf.grad((t: typeof x) => tf.sum(tf.square(
              ms.batchNorm(t, [0, 0, 0], [1, 1, 1], gamma, null, {training}).y)))(x);
          await g.data();
          g.dispose();
        }
        tf.dispose([x, gamma]);
        return tf.memory().numTensors - before;
      }, Array.from(randomValues(24, rng(9))));
      expect(leaked).toBe(0);
    });
  });
});
