// SPDX-License-Identifier: Apache-2.0
import {MsBatchNormGrad, MsBatchNormInference, MsBatchNormTraining} from '../../src/kernel_names';
import {coordsOf, normalizeGradRef, batchNormRef, centralDiff, expectClose, randomValues, rng, runningStatsRef, seedCases, seedShape, seedValues, sizeOf} from '../test_util';

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
  const next = rng(seed);
  const channels = shape[channelAxis(shape, format)];
  return {
    shape,
    format,
    x: randomValues(sizeOf(shape), next, offset - 2, offset + 2),
    gamma: randomValues(channels, next, 0.5, 1.5),
    beta: randomValues(channels, next, -1, 1),
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
      const stats = runningStatsRef(
          [seedValues(c, 'input')], shape, 1, new Array(channels).fill(0),
          new Array(channels).fill(1), 0.1, 'unbiased');
      expectClose(runningMean.values, stats.mean, 1e-6, 1e-5);
      expectClose(runningVar.values, stats.variance, 1e-6, 1e-5);
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
    const gradCases: Array<[number[], Format]> = [[[4, 3], 'NCHW'], [[2, 3, 2, 2], 'NCHW'], [[3, 2, 4], 'NHWC']];
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
             expectClose(grads[0].values, centralDiff(v => f(v), c.x, dyv), 1e-4, 1e-3);
             expectClose(grads[1].values, centralDiff(v => f(c.x, v), c.gamma, dyv), 1e-4, 1e-3);
             expectClose(grads[2].values, centralDiff(v => f(c.x, c.gamma, v), c.beta, dyv), 1e-4, 1e-3);
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
           const channel = (i: number) => coordsOf(i, c.shape)[1];
           const layout = {groupOf: channel, numGroups: 4, paramOf: channel, numParams: 4};
           const fixedStats = training ? undefined : {mean: c.mean, variance: c.variance};
           const expected = normalizeGradRef(c.x, dyv, layout, c.gamma, 1e-5, {fixedStats});
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
