// SPDX-License-Identifier: Apache-2.0
import {MsInstanceNorm} from '../../src/kernel_names';
import {centralDiff, expectClose, instanceNormRef, randomValues, rng, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

interface InstanceNormCase {
  shape: number[];
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
}

function randomCase(shape: number[], seed: number): InstanceNormCase {
  const next = rng(seed);
  return {
    shape,
    x: randomValues(sizeOf(shape), next, -2, 2),
    gamma: randomValues(shape[1], next, 0.5, 1.5),
    beta: randomValues(shape[1], next, -1, 1),
  };
}

function inRun(c: InstanceNormCase): Run<KernelRun> {
  return {
    kernel: MsInstanceNorm,
    inputs: {x: spec(c.x, c.shape), gamma: spec(c.gamma, [c.shape[1]]), beta: spec(c.beta, [c.shape[1]])},
    attrs: {epsilon: 1e-5},
  };
}

describeEachBackend('MsInstanceNorm', b => {
  for (const shape of [[2, 3, 4, 4], [2, 3, 5], [1, 2, 2, 3, 2], [1, 2, 48, 48]]) {
    it(`matches float64 for [${shape}]`, async () => {
      const c = randomCase(shape, sizeOf(shape));
      const [y] = await b.runKernel(inRun(c));
      expect(y.shape).toEqual(shape);
      expectClose(y.values, instanceNormRef(c.x, shape, c.gamma, c.beta, 1e-5), 1e-5, 1e-4);
    });
  }

  it('holds GPU memory steady over repeated calls', async () => {
    await expectSteadyMemory(b, inRun(randomCase([2, 4, 16, 16], 3)));
  });

  describe('gradient (MsInstanceNormGrad)', () => {
    for (const shape of [[2, 3, 4], [1, 2, 2, 3]]) {
      it(`matches float64 differences for x, gamma, beta ([${shape}])`,
         async () => {
           const c = randomCase(shape, sizeOf(shape) * 7);
           const dyv = randomValues(sizeOf(shape), rng(8), -1, 1);
           const run = {...inRun(c), wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
           const grads = await b.gradKernel(run);
           const f = (x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>) =>
               instanceNormRef(x, shape, gamma, beta, 1e-5);
           expectClose(grads[0].values, centralDiff(v => f(v, c.gamma, c.beta), c.x, dyv), 1e-4, 1e-3);
           expectClose(grads[1].values, centralDiff(v => f(c.x, v, c.beta), c.gamma, dyv), 1e-4, 1e-3);
           expectClose(grads[2].values, centralDiff(v => f(c.x, c.gamma, v), c.beta, dyv), 1e-4, 1e-3);
         });
    }

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const c = randomCase([2, 3, 8, 8], 9);
      const dy = spec(randomValues(c.x.length, rng(10)), c.shape);
      await expectSteadyMemory(b, {...inRun(c), wrt: ['x', 'gamma', 'beta'], dy});
    });
  });
});
