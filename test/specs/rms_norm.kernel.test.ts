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

    it('holds memory steady over repeated gradient calls', async () => {
      const c = randomCase([4, 16, 16], 2, 70);
      const dy = spec(randomValues(c.x.length, rng(71)), c.shape);
      await expectSteadyMemory(b, {...rmsRun(c), wrt: ['x', 'gamma'], dy});
    });
  });
});
