// SPDX-License-Identifier: Apache-2.0
import {MsLayerNorm, MsLayerNormGrad} from '../../src/kernel_names';
import {coordsOf, normalizeGradRef, centralDiff, expectClose, layerNormRef, randomValues, rng, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

interface LayerNormCase {
  shape: number[];
  bna: number;
  bpa: number;
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
}

function randomCase(shape: number[], bna: number, bpa: number, seed: number): LayerNormCase {
  const next = rng(seed);
  const paramSize = sizeOf(shape.slice(bpa));
  return {
    shape,
    bna,
    bpa,
    x: randomValues(sizeOf(shape), next, -2, 2),
    gamma: randomValues(paramSize, next, 0.5, 1.5),
    beta: randomValues(paramSize, next, -1, 1),
  };
}

const EPS = 1e-7;

function lnRun(c: LayerNormCase): Run<KernelRun> {
  const paramShape = c.shape.slice(c.bpa);
  return {
    kernel: MsLayerNorm,
    inputs: {x: spec(c.x, c.shape), gamma: spec(c.gamma, paramShape), beta: spec(c.beta, paramShape)},
    attrs: {beginNormAxis: c.bna, beginParamsAxis: c.bpa, epsilon: EPS},
  };
}

function ref(c: LayerNormCase, x: ArrayLike<number> = c.x, gamma: ArrayLike<number> = c.gamma,
             beta: ArrayLike<number> = c.beta) {
  return layerNormRef(x, c.shape, c.bna, c.bpa, gamma, beta, EPS);
}

describeEachBackend('MsLayerNorm', b => {
  // [shape, bna, bpa]: parameters after, at and before the normalized axes;
  // the whole tensor as one row; a long row that takes window stages.
  const cases: Array<[number[], number, number]> = [
    [[2, 3, 4], 1, 1],
    [[2, 3, 4], 2, 1],
    [[2, 3, 4], 1, 2],
    [[4, 5], 1, 1],
    [[2, 3, 2, 2], 0, 0],
    [[2, 64, 64], 1, 2],
  ];
  for (const [shape, bna, bpa] of cases) {
    it(`matches float64 (y, mean, variance) for [${shape}], bna ${bna}, bpa ${bpa}`,
       async () => {
         const c = randomCase(shape, bna, bpa, sizeOf(shape) + 10 * bna + bpa);
         const expected = ref(c);
         const [y, mean, variance] = await b.runKernel(lnRun(c));
         const statsShape = shape.map((d, i) => (i < bna ? d : 1));
         expect([y.shape, mean.shape, variance.shape]).toEqual([shape, statsShape, statsShape]);
         expectClose(y.values, expected.y, 1e-5, 1e-4);
         expectClose(mean.values, expected.mean, 1e-6, 1e-4);
         expectClose(variance.values, expected.variance, 1e-6, 1e-4);
       });
  }

  it('reads packed input textures correctly', async () => {
    const c = randomCase([3, 4, 6], 2, 1, 3);
    const [y] = await b.runKernel({...lnRun(c), packedInputs: true});
    expectClose(y.values, ref(c).y, 1e-5, 1e-4);
  });

  it('gives an empty y and NaN statistics for empty rows', async () => {
    const c = {...randomCase([2, 1], 1, 1, 4), shape: [2, 0], x: new Float32Array(0),
               gamma: new Float32Array(0), beta: new Float32Array(0)};
    const [y, mean, variance] = await b.runKernel(lnRun(c));
    expect(y).toEqual({values: [], shape: [2, 0]});
    expect([mean.shape, variance.shape]).toEqual([[2, 1], [2, 1]]);
    expect([...mean.values, ...variance.values].every(Number.isNaN)).toBe(true);
  });

  it('holds GPU memory steady over repeated calls', async () => {
    await expectSteadyMemory(b, lnRun(randomCase([4, 32, 32], 1, 1, 5)));
  });

  describe('gradient (MsLayerNormGrad)', () => {
    const gradCases: Array<[number[], number, number]> = [[[2, 3, 4], 1, 1], [[2, 3, 2], 2, 1], [[3, 4], 1, 1]];
    for (const [shape, bna, bpa] of gradCases) {
      it(`matches float64 differences for x, gamma, beta ([${shape}], bna ${bna}, bpa ${bpa})`,
         async () => {
           const c = randomCase(shape, bna, bpa, sizeOf(shape) * 3 + bna);
           const dyv = randomValues(sizeOf(shape), rng(bna + 40), -1, 1);
           const run = {...lnRun(c), wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
           const grads = await b.gradKernel(run);
           expectClose(grads[0].values, centralDiff(v => ref(c, v).y, c.x, dyv), 1e-4, 1e-3);
           expectClose(grads[1].values, centralDiff(v => ref(c, c.x, v).y, c.gamma, dyv), 1e-4, 1e-3);
           expectClose(grads[2].values, centralDiff(v => ref(c, c.x, c.gamma, v).y, c.beta, dyv), 1e-4, 1e-3);
         });
    }

    for (const [output, name] of [[1, 'mean'], [2, 'variance']] as const) {
      it(`carries gradients through the ${name} output`, async () => {
        const c = randomCase([3, 5], 1, 1, 50 + output);
        const dyv = randomValues(3, rng(output), -1, 1);
        const run = {...lnRun(c), wrt: ['x'], dy: spec(dyv, [3, 1]), outputIndex: output};
        const [g] = await b.gradKernel(run);
        expectClose(g.values, centralDiff(v => ref(c, v)[name], c.x, dyv), 1e-4, 1e-3);
      });
    }

    it('matches the float64 backward pass with dmean and dvariance on long rows (window stages)',
       async () => {
         const c = randomCase([3, 40, 40], 1, 2, 60);
         const dy = spec(randomValues(c.x.length, rng(61)), c.shape);
         const run = (): Run<KernelRun> => ({
           kernel: MsLayerNormGrad,
           inputs: {
             x: spec(c.x, c.shape),
             gamma: spec(c.gamma, [40]),
             dy,
             dmean: spec([0.5, -1, 2], [3, 1, 1]),
             dvariance: spec([1, 0.25, -0.5], [3, 1, 1]),
           },
           attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: EPS},
         });
         const out = await b.runKernel(run());
         expect(out.map(t => t.shape)).toEqual([c.shape, [40], [40]]);
         const layout = {
           groupOf: (i: number) => coordsOf(i, c.shape)[0],
           numGroups: 3,
           paramOf: (i: number) => coordsOf(i, c.shape)[2],
           numParams: 40,
         };
         const expected = normalizeGradRef(
             c.x, dy.values, layout, c.gamma, EPS, {dmean: [0.5, -1, 2], dvariance: [1, 0.25, -0.5]});
         [expected.dx, expected.dgamma, expected.dbeta].forEach(
             (e, i) => expectClose(out[i].values, e, 1e-4, 1e-4));
       });

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const c = randomCase([4, 16, 16], 1, 1, 70);
      const dy = spec(randomValues(c.x.length, rng(71)), c.shape);
      await expectSteadyMemory(b, {...lnRun(c), wrt: ['x', 'gamma', 'beta'], dy});
    });
  });
});
