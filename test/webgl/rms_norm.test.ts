import {MsRMSNorm, MsRMSNormGrad} from '../../src/kernel_names';
import {centralDiff, expectClose, randomValues, rmsNormRef, rng, sizeOf} from '../test_util';

import {expectSteadyMemory, gradKernel, KernelRun, runKernel, spec, useHarness} from './webgl_test_util';

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

function rmsRun(backend: 'webgl'|'cpu', c: RMSNormCase): KernelRun {
  return {
    backend,
    kernel: MsRMSNorm,
    inputs: {x: spec(c.x, c.shape), gamma: spec(c.gamma, c.gammaShape)},
    attrs: {epsilon: EPS},
  };
}

const rstdShapeOf = (c: RMSNormCase) =>
    c.shape.map((d, i) => (i < c.shape.length - c.gammaShape.length ? d : 1));

describe('MsRMSNorm on webgl', () => {
  const h = useHarness();

  it('reproduces MindSpore\'s documented example', async () => {
    const c = {shape: [2, 3], gammaShape: [3], x: Float32Array.of(1, 2, 3, 1, 2, 3),
               gamma: Float32Array.of(1, 1, 1)};
    const [y, rstd] = await runKernel(h.page, rmsRun('webgl', c));
    expectClose(y.values, [0.46290997, 0.92581993, 1.3887299, 0.46290997, 0.92581993, 1.3887299],
        1e-6);
    expect(rstd.shape).toEqual([2, 1]);
    expectClose(rstd.values, [0.46290997, 0.46290997], 1e-6);
  });

  // [shape, gamma rank]: one axis, several axes, the whole tensor as one row,
  // a long row that takes window stages.
  const cases: Array<[number[], number]> = [
    [[3, 7], 1], [[2, 3, 4], 2], [[2, 3, 4], 3], [[2, 2, 3, 5], 1], [[4, 4096], 1],
  ];
  for (const [shape, gammaRank] of cases) {
    it(`matches float64 and the cpu kernel (y, rstd) for x [${shape}], gamma rank ${gammaRank}`,
       async () => {
         const c = randomCase(shape, gammaRank, sizeOf(shape) + gammaRank);
         const expected = rmsNormRef(c.x, c.gamma, EPS);
         const [y, rstd] = await runKernel(h.page, rmsRun('webgl', c));
         expect([y.shape, rstd.shape]).toEqual([shape, rstdShapeOf(c)]);
         expectClose(y.values, expected.y, 1e-5, 1e-4);
         expectClose(rstd.values, expected.rstd, 1e-6, 1e-4);
         const cpu = await runKernel(h.page, rmsRun('cpu', c));
         [y, rstd].forEach((t, i) => expectClose(t.values, cpu[i].values, 1e-5, 1e-4));
       });
  }

  it('reads packed input textures correctly', async () => {
    const c = randomCase([3, 4, 6], 1, 3);
    const [y, rstd] = await runKernel(h.page, {...rmsRun('webgl', c), packedInputs: true});
    const expected = rmsNormRef(c.x, c.gamma, EPS);
    expectClose(y.values, expected.y, 1e-5, 1e-4);
    expectClose(rstd.values, expected.rstd, 1e-6, 1e-4);
  });

  it('gives an empty y and NaN rstd for empty rows', async () => {
    const c = {shape: [2, 0], gammaShape: [0], x: new Float32Array(0), gamma: new Float32Array(0)};
    const [y, rstd] = await runKernel(h.page, rmsRun('webgl', c));
    expect(y).toEqual({values: [], shape: [2, 0]});
    expect(rstd.shape).toEqual([2, 1]);
    expect(rstd.values.every(Number.isNaN)).toBe(true);
  });

  it('holds GPU memory steady over repeated calls', async () => {
    await expectSteadyMemory(h.page, rmsRun('webgl', randomCase([4, 32, 32], 1, 5)));
  });

  describe('gradient (MsRMSNormGrad)', () => {
    const gradCases: Array<[number[], number]> = [[[3, 5], 1], [[2, 3, 4], 2], [[2, 3, 4], 3]];
    for (const [shape, gammaRank] of gradCases) {
      it(`matches the cpu gradient and float64 differences for x, gamma (x [${shape}], gamma rank ${gammaRank})`,
         async () => {
           const c = randomCase(shape, gammaRank, sizeOf(shape) * 3 + gammaRank);
           const dyv = randomValues(sizeOf(shape), rng(gammaRank + 40), -1, 1);
           const run = {...rmsRun('webgl', c), wrt: ['x', 'gamma'], dy: spec(dyv, shape)};
           const grads = await gradKernel(h.page, run);
           const cpu = await gradKernel(h.page, {...run, backend: 'cpu'});
           grads.forEach((g, i) => expectClose(g.values, cpu[i].values, 1e-5, 1e-4));
           expectClose(grads[0].values, centralDiff(v => rmsNormRef(v, c.gamma, EPS).y, c.x, dyv),
               1e-4, 1e-3);
           expectClose(grads[1].values, centralDiff(v => rmsNormRef(c.x, v, EPS).y, c.gamma, dyv),
               1e-4, 1e-3);
         });
    }

    it('matches the cpu backward kernel on long rows and many rows (window stages), packed inputs',
       async () => {
         const c = randomCase([40, 2000], 1, 60);
         const next = rng(61);
         const run = (backend: 'webgl'|'cpu'): KernelRun => ({
           backend,
           kernel: MsRMSNormGrad,
           inputs: {
             dy: spec(randomValues(c.x.length, next), c.shape),
             x: spec(c.x, c.shape),
             rstd: spec(rmsNormRef(c.x, c.gamma, EPS).rstd, [40, 1]),
             gamma: spec(c.gamma, c.gammaShape),
           },
           attrs: {},
         });
         const webglRun = run('webgl');
         const gpu = await runKernel(h.page, {...webglRun, packedInputs: true});
         const cpu = await runKernel(h.page, {...webglRun, backend: 'cpu'});
         expect(gpu.map(t => t.shape)).toEqual([c.shape, [2000]]);
         gpu.forEach((t, i) => expectClose(t.values, cpu[i].values, 1e-4, 1e-4));
       });

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const c = randomCase([4, 16, 16], 2, 70);
      const dy = spec(randomValues(c.x.length, rng(71)), c.shape);
      await expectSteadyMemory(h.page, {...rmsRun('webgl', c), wrt: ['x', 'gamma'], dy});
    });
  });
});
