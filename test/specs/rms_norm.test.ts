// SPDX-License-Identifier: Apache-2.0
import {MsRMSNorm, MsRMSNormGrad} from '../../src/kernel_names';
import {centralDiff, expectClose, randomValues, rmsNormRef, rng, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

interface RMSNormCase {
  shape: number[];
  gammaShape: number[];
  x: Float32Array;
  gamma: Float32Array;
}

function randomCase(shape: number[], gammaRank: number, seed: number): RMSNormCase {
  const next = rng(seed);
  const gammaShape = shape.slice(shape.length - gammaRank);
  return {
    shape,
    gammaShape,
    x: randomValues(sizeOf(shape), next, -2, 2),
    gamma: randomValues(sizeOf(gammaShape), next, 0.5, 1.5),
  };
}

const EPS = 1e-6;

function rmsRun(c: RMSNormCase): Run<KernelRun> {
  return {
    kernel: MsRMSNorm,
    inputs: {x: spec(c.x, c.shape), gamma: spec(c.gamma, c.gammaShape)},
    attrs: {epsilon: EPS},
  };
}

const rstdShapeOf = (c: RMSNormCase) =>
    c.shape.map((d, i) => (i < c.shape.length - c.gammaShape.length ? d : 1));

// MindSpore's documented example: ops.rms_norm([[1, 2, 3], [1, 2, 3]], ones(3)).
const DOC_Y = [0.46290997, 0.92581993, 1.3887299, 0.46290997, 0.92581993, 1.3887299];

describeEachBackend('MsRMSNorm', b => {
  it('reproduces MindSpore\'s documented example through the op (y, rstd)', async () => {
    const [y, rstd] = await b.runOp(
        {op: 'rmsNorm', args: [{tensor: spec([1, 2, 3, 1, 2, 3], [2, 3])}, {tensor: spec([1, 1, 1], [3])}]});
    expect([y.shape, rstd.shape]).toEqual([[2, 3], [2, 1]]);
    expectClose(y.values, DOC_Y, 1e-6);
    expectClose(rstd.values, [1 / Math.sqrt(14 / 3 + 1e-6), 1 / Math.sqrt(14 / 3 + 1e-6)], 1e-7);
  });

  // [shape, gamma rank]: one axis, several axes, the whole tensor as one row,
  // a long row that takes window stages.
  const cases: Array<[number[], number]> = [
    [[3, 7], 1], [[2, 3, 4], 2], [[2, 3, 4], 3], [[2, 2, 3, 5], 1], [[4, 4096], 1],
  ];
  for (const [shape, gammaRank] of cases) {
    it(`matches float64 (y, rstd) for x [${shape}], gamma rank ${gammaRank}`, async () => {
      const c = randomCase(shape, gammaRank, sizeOf(shape) + gammaRank);
      const expected = rmsNormRef(c.x, c.gamma, EPS);
      const [y, rstd] = await b.runKernel(rmsRun(c));
      expect([y.shape, rstd.shape]).toEqual([shape, rstdShapeOf(c)]);
      expectClose(y.values, expected.y, 1e-5, 1e-4);
      expectClose(rstd.values, expected.rstd, 1e-6, 1e-4);
    });
  }

  it('reads packed input textures correctly', async () => {
    const c = randomCase([3, 4, 6], 1, 3);
    const [y, rstd] = await b.runKernel({...rmsRun(c), packedInputs: true});
    const expected = rmsNormRef(c.x, c.gamma, EPS);
    expectClose(y.values, expected.y, 1e-5, 1e-4);
    expectClose(rstd.values, expected.rstd, 1e-6, 1e-4);
  });

  it('gives an empty y and NaN rstd for empty rows', async () => {
    const c = {shape: [2, 0], gammaShape: [0], x: new Float32Array(0), gamma: new Float32Array(0)};
    const [y, rstd] = await b.runKernel(rmsRun(c));
    expect(y).toEqual({values: [], shape: [2, 0]});
    expect(rstd.shape).toEqual([2, 1]);
    expect(rstd.values.every(Number.isNaN)).toBe(true);
  });

  it('holds memory steady over repeated calls', async () => {
    await expectSteadyMemory(b, rmsRun(randomCase([4, 32, 32], 1, 5)));
  });

  describe('gradient (MsRMSNormGrad: from y only)', () => {
    const gradCases: Array<[number[], number]> = [[[3, 5], 1], [[2, 3, 4], 2], [[2, 3, 4], 3]];
    for (const [shape, gammaRank] of gradCases) {
      it(`matches float64 differences for x and gamma (x [${shape}], gamma rank ${gammaRank})`,
         async () => {
           const c = randomCase(shape, gammaRank, sizeOf(shape) * 3 + gammaRank);
           const dyv = randomValues(sizeOf(shape), rng(gammaRank + 40), -1, 1);
           const grads = await b.gradKernel(
               {...rmsRun(c), wrt: ['x', 'gamma'], dy: spec(dyv, shape)});
           expectClose(grads[0].values, centralDiff(v => rmsNormRef(v, c.gamma, EPS).y, c.x, dyv),
               1e-4, 1e-3);
           expectClose(grads[1].values, centralDiff(v => rmsNormRef(c.x, v, EPS).y, c.gamma, dyv),
               1e-4, 1e-3);
         });
    }

    it('drops the gradient reaching rstd', async () => {
      const c = randomCase([3, 4], 1, 30);
      const grads = await b.gradKernel({...rmsRun(c), wrt: ['x', 'gamma'],
                                        dy: spec([1, -2, 0.5], [3, 1]), outputIndex: 1});
      expect(grads.map(g => g.values.every(v => v === 0))).toEqual([true, true]);
    });

    it('matches the float64 backward formula on long rows and many rows (window stages), packed inputs',
       async () => {
         const c = randomCase([40, 2000], 1, 60);
         const dyv = randomValues(c.x.length, rng(61));
         const rstd = rmsNormRef(c.x, c.gamma, EPS).rstd;
         const [dx, dgamma] = await b.runKernel({
           kernel: MsRMSNormGrad,
           inputs: {
             dy: spec(dyv, c.shape), x: spec(c.x, c.shape), rstd: spec(rstd, [40, 1]),
             gamma: spec(c.gamma, c.gammaShape),
           },
           attrs: {},
           packedInputs: true,
         });
         expect([dx.shape, dgamma.shape]).toEqual([c.shape, [2000]]);
         // Float64: dx = rstd * dy * gamma - x * rstd^3 * mean(dy * gamma * x); dgamma = sum dy * x * rstd.
         const m = 2000;
         const rs = Array.from(rstd, v => Math.fround(v));
         const dxRef = new Float64Array(c.x.length);
         const dgRef = new Float64Array(m);
         for (let r = 0; r < 40; r++) {
           let dot = 0;
           for (let i = 0; i < m; i++) {
             dot += dyv[r * m + i] * c.gamma[i] * c.x[r * m + i];
             dgRef[i] += dyv[r * m + i] * c.x[r * m + i] * rs[r];
           }
           for (let i = 0; i < m; i++) {
             dxRef[r * m + i] = rs[r] * dyv[r * m + i] * c.gamma[i] -
                 c.x[r * m + i] * rs[r] ** 3 * dot / m;
           }
         }
         expectClose(dx.values, dxRef, 1e-5, 1e-4);
         expectClose(dgamma.values, dgRef, 1e-4, 1e-4);
       });

    it('uses the rstd it is given (MindSpore\'s RmsNormGrad), not one recomputed from x', async () => {
      // rstd = 1, gamma = 1, x = dy = [1, 0]: dx = dy - x * mean(dy * x) = [0.5, 0], dgamma = [1, 0].
      const [dx, dgamma] = await b.runKernel({
        kernel: MsRMSNormGrad,
        inputs: {dy: spec([1, 0], [1, 2]), x: spec([1, 0], [1, 2]), rstd: spec([1], [1, 1]),
                 gamma: spec([1, 1], [2])},
        attrs: {},
      });
      expectClose(dx.values, [0.5, 0], 1e-7);
      expectClose(dgamma.values, [1, 0], 1e-7);
    });

    it('holds memory steady over repeated gradient calls', async () => {
      const c = randomCase([4, 16, 16], 2, 70);
      const dy = spec(randomValues(c.x.length, rng(71)), c.shape);
      await expectSteadyMemory(b, {...rmsRun(c), wrt: ['x', 'gamma'], dy});
    });
  });
});

describeEachBackend('rmsNorm', b => {
  const rmsNormOp = (...args: unknown[]) => b.runOp({op: 'rmsNorm', args});
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});

  it('puts epsilon inside the square root (default 1e-6)', async () => {
    // mean(x^2) = 1e-6: rstd = 1 / sqrt(2e-6) with the default, 1 / sqrt(0.5 + 1e-6) with 0.5.
    const [, rstd] = await rmsNormOp([[1e-3, -1e-3]], [1, 1]);
    expectClose(rstd.values, [1 / Math.sqrt(2e-6)], 0, 1e-4);
    const [, big] = await rmsNormOp([[1e-3, -1e-3]], [1, 1], 0.5);
    expectClose(big.values, [1 / Math.sqrt(0.5 + 1e-6)], 1e-6);
  });

  const cases: Array<[number[], number]> = [
    [[5], 1], [[3, 7], 1], [[2, 3, 4], 1], [[2, 3, 4], 2], [[2, 3, 4], 3], [[2, 2, 3, 5], 2],
  ];
  for (const [shape, gammaRank] of cases) {
    it(`matches float64 over the last gamma.rank axes: x [${shape}], gamma rank ${gammaRank}`,
       async () => {
         const c = randomCase(shape, gammaRank, 100 + sizeOf(shape) + gammaRank);
         const [y, rstd] = await rmsNormOp(tensor(c.x, shape), tensor(c.gamma, c.gammaShape), 1e-5);
         const ref = rmsNormRef(c.x, c.gamma, 1e-5);
         expect([y.shape, rstd.shape]).toEqual([shape, rstdShapeOf(c)]);
         expectClose(y.values, ref.y, 1e-5, 1e-4);
         expectClose(rstd.values, ref.rstd, 1e-6, 1e-4);
       });
  }

  it('differentiates through the op, and leaks nothing when gamma is a constant', async () => {
    const c = randomCase([3, 5], 1, 7);
    const dyv = randomValues(15, rng(8), -1, 1);
    const out = await b.evaluate(async (h, a) => {
      const {tf, ms} = h;
      const before = tf.memory().numTensors;
      const x = tf.tensor(a.x, [3, 5]);
      const gamma = tf.tensor(a.gamma);
      const dy = tf.tensor(a.dy, [3, 5]);
      const [dx, dgamma] = tf.grads((p: typeof x, q: typeof x) => ms.rmsNorm(p, q).y)([x, gamma], dy);
      const gx = tf.grad((p: typeof x) => ms.rmsNorm(p, gamma).y)(x, dy);
      const values = [Array.from(await dx.data()), Array.from(await dgamma.data()),
                      Array.from(await gx.data())];
      tf.dispose([x, gamma, dy, dx, dgamma, gx]);
      return {values, leaked: tf.memory().numTensors - before};
    }, {x: Array.from(c.x), gamma: Array.from(c.gamma), dy: Array.from(dyv)});
    expect(out.leaked).toBe(0);
    const dxRef = centralDiff(v => rmsNormRef(v, c.gamma, EPS).y, c.x, dyv);
    expectClose(out.values[0], dxRef, 1e-4, 1e-3);
    expectClose(out.values[1], centralDiff(v => rmsNormRef(c.x, v, EPS).y, c.gamma, dyv), 1e-4,
        1e-3);
    expectClose(out.values[2], dxRef, 1e-4, 1e-3);
  });

  it('accepts nested arrays and empty rows', async () => {
    const [y] = await rmsNormOp([[3, 4]], [1, 2]);
    // mean(x^2) = 12.5: y = [3, 8] / sqrt(12.5 + 1e-6).
    expectClose(y.values, [3 / Math.sqrt(12.5 + 1e-6), 8 / Math.sqrt(12.5 + 1e-6)], 1e-6);
    const [empty, rstd] = await rmsNormOp(tensor([], [3, 0]), tensor([], [0]));
    expect([empty.shape, rstd.shape]).toEqual([[3, 0], [3, 1]]);
  });
});
