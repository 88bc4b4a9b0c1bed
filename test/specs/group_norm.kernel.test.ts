// SPDX-License-Identifier: Apache-2.0
import {MsGroupNorm, MsGroupNormGrad} from '../../src/kernel_names';
import {coordsOf, normalizeGradRef, centralDiff, expectClose, groupNormRef, randomValues, rng, seedCases, seedShape, seedValues, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

interface GroupNormCase {
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
}

function randomCase(shape: number[], seed: number, offset = 0): GroupNormCase {
  const next = rng(seed);
  const x = randomValues(sizeOf(shape), next, offset - 2, offset + 2);
  return {x, gamma: randomValues(shape[1], next, 0.5, 1.5), beta: randomValues(shape[1], next, -1, 1)};
}

function gnRun(
    c: GroupNormCase, shape: number[], numGroups: number,
    epsilon = 1e-5): Run<KernelRun> {
  return {
    kernel: MsGroupNorm,
    inputs: {x: spec(c.x, shape), gamma: spec(c.gamma, [shape[1]]), beta: spec(c.beta, [shape[1]])},
    attrs: {numGroups, epsilon},
  };
}

describeEachBackend('MsGroupNorm', b => {
  for (const c of seedCases('GroupNorm')) {
    it(`reproduces ${c.id} through the op`, async () => {
      const a = c.args as {num_groups: number, eps: number};
      const [y] = await b.runOp({
        op: 'groupNorm',
        args: [{tensor: spec(seedValues(c, 'input'), seedShape(c))}, a.num_groups, null, null, a.eps],
      });
      expect(y.shape).toEqual(seedShape(c));
      expectClose(y.values, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
    });
  }

  // [shape, numGroups]: rank 2-5, one group (layer-norm-like), one channel
  // per group (instance-norm-like), and large groups that take window stages.
  const cases: Array<[number[], number]> = [
    [[2, 6, 3, 2], 3],
    [[3, 4], 2],
    [[1, 8, 2, 2, 3], 4],
    [[2, 4, 5], 1],
    [[2, 6, 1], 6],
    [[1, 4, 48, 48], 2],
  ];
  for (const [shape, groups] of cases) {
    it(`matches float64 for [${shape}] in ${groups} groups`, async () => {
      const c = randomCase(shape, sizeOf(shape) + groups);
      const expected = groupNormRef(c.x, shape, groups, c.gamma, c.beta, 1e-5);
      const [y] = await b.runKernel(gnRun(c, shape, groups));
      expect(y.shape).toEqual(shape);
      expectClose(y.values, expected, 1e-5, 1e-4);
    });
  }

  it('stays accurate for data far from zero (two-pass variance)', async () => {
    const shape = [2, 4, 8, 8];
    const c = randomCase(shape, 3, 100);
    const [y] = await b.runKernel(gnRun(c, shape, 2));
    expectClose(y.values, groupNormRef(c.x, shape, 2, c.gamma, c.beta, 1e-5), 1e-4, 1e-4);
  });

  it('reads packed input textures correctly', async () => {
    const shape = [2, 4, 3, 2];
    const c = randomCase(shape, 4);
    const [y] = await b.runKernel({...gnRun(c, shape, 2), packedInputs: true});
    expectClose(y.values, groupNormRef(c.x, shape, 2, c.gamma, c.beta, 1e-5), 1e-5, 1e-4);
  });

  it('handles empty tensors', async () => {
    const c = {x: new Float32Array(0), gamma: new Float32Array(4).fill(1), beta: new Float32Array(4)};
    const [y] = await b.runKernel(gnRun(c, [0, 4, 3], 2));
    expect(y).toEqual({values: [], shape: [0, 4, 3]});
  });

  it('holds GPU memory steady over repeated calls', async () => {
    const shape = [1, 4, 40, 40];
    await expectSteadyMemory(b, gnRun(randomCase(shape, 5), shape, 2));
  });

  describe('gradient (MsGroupNormGrad)', () => {
    const gradCases: Array<[number[], number]> = [[[2, 4, 3], 2], [[1, 6, 2, 2], 3], [[3, 2], 1]];
    for (const [shape, groups] of gradCases) {
      it(`matches float64 differences for x, gamma, beta ([${shape}], ${groups} groups)`,
         async () => {
           const c = randomCase(shape, sizeOf(shape) * 5 + groups);
           const dyv = randomValues(sizeOf(shape), rng(groups), -1, 1);
           const run = {...gnRun(c, shape, groups), wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
           const grads = await b.gradKernel(run);
           const f = (x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>) =>
               groupNormRef(x, shape, groups, gamma, beta, 1e-5);
           expectClose(grads[0].values, centralDiff(v => f(v, c.gamma, c.beta), c.x, dyv), 1e-4, 1e-3);
           expectClose(grads[1].values, centralDiff(v => f(c.x, v, c.beta), c.gamma, dyv), 1e-4, 1e-3);
           expectClose(grads[2].values, centralDiff(v => f(c.x, c.gamma, v), c.beta, dyv), 1e-4, 1e-3);
         });
    }

    it('matches the float64 backward pass on a large batch (window stages)', async () => {
      const shape = [6, 4, 24, 24];
      const c = randomCase(shape, 7);
      const dyv = randomValues(sizeOf(shape), rng(8), -1, 1);
      const run = (): Run<KernelRun> => ({
        kernel: MsGroupNormGrad,
        inputs: {x: spec(c.x, shape), gamma: spec(c.gamma, [4]), dy: spec(dyv, shape)},
        attrs: {numGroups: 2, epsilon: 1e-5},
      });
      const out = await b.runKernel(run());
      expect(out.map(t => t.shape)).toEqual([shape, [4], [4]]);
      const channel = (i: number) => coordsOf(i, shape)[1];
      const layout = {
        groupOf: (i: number) => coordsOf(i, shape)[0] * 2 + Math.floor(channel(i) / 2),
        numGroups: shape[0] * 2,
        paramOf: channel,
        numParams: 4,
      };
      const expected = normalizeGradRef(c.x, dyv, layout, c.gamma, 1e-5);
      [expected.dx, expected.dgamma, expected.dbeta].forEach(
          (e, i) => expectClose(out[i].values, e, 1e-4, 1e-4));
    });

    it('gives zero dgamma/dbeta and an empty dx for an empty batch', async () => {
      const outputs = await b.runKernel({
        kernel: MsGroupNormGrad,
        inputs: {x: spec([], [0, 4, 2]), gamma: spec([1, 1, 1, 1], [4]), dy: spec([], [0, 4, 2])},
        attrs: {numGroups: 2, epsilon: 1e-5},
      });
      expect(outputs).toEqual([
        {values: [], shape: [0, 4, 2]}, {values: [0, 0, 0, 0], shape: [4]},
        {values: [0, 0, 0, 0], shape: [4]},
      ]);
    });

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const shape = [2, 4, 20, 20];
      const run = {
        ...gnRun(randomCase(shape, 9), shape, 2),
        wrt: ['x', 'gamma', 'beta'],
        dy: spec(randomValues(sizeOf(shape), rng(10)), shape),
      };
      await expectSteadyMemory(b, run);
    });
  });
});
