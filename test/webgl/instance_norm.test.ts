import {MsInstanceNorm} from '../../src/kernel_names';
import {centralDiff, expectClose, instanceNormRef, randomValues, rng, sizeOf} from '../test_util';

import {expectSteadyMemory, gradKernel, KernelRun, runKernel, spec, useHarness} from './webgl_test_util';

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

function inRun(backend: 'webgl'|'cpu', c: InstanceNormCase): KernelRun {
  return {
    backend,
    kernel: MsInstanceNorm,
    inputs: {x: spec(c.x, c.shape), gamma: spec(c.gamma, [c.shape[1]]), beta: spec(c.beta, [c.shape[1]])},
    attrs: {epsilon: 1e-5},
  };
}

describe('MsInstanceNorm on webgl', () => {
  const h = useHarness();

  for (const shape of [[2, 3, 4, 4], [2, 3, 5], [1, 2, 2, 3, 2], [1, 2, 48, 48]]) {
    it(`matches float64 and the cpu kernel for [${shape}]`, async () => {
      const c = randomCase(shape, sizeOf(shape));
      const [y] = await runKernel(h.page, inRun('webgl', c));
      expect(y.shape).toEqual(shape);
      expectClose(y.values, instanceNormRef(c.x, shape, c.gamma, c.beta, 1e-5), 1e-5, 1e-4);
      const [cpu] = await runKernel(h.page, inRun('cpu', c));
      expectClose(y.values, cpu.values, 1e-5, 1e-4);
    });
  }

  it('holds GPU memory steady over repeated calls', async () => {
    await expectSteadyMemory(h.page, inRun('webgl', randomCase([2, 4, 16, 16], 3)));
  });

  describe('gradient (MsInstanceNormGrad)', () => {
    for (const shape of [[2, 3, 4], [1, 2, 2, 3]]) {
      it(`matches the cpu gradient and float64 differences for x, gamma, beta ([${shape}])`,
         async () => {
           const c = randomCase(shape, sizeOf(shape) * 7);
           const dyv = randomValues(sizeOf(shape), rng(8), -1, 1);
           const run = {...inRun('webgl', c), wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
           const grads = await gradKernel(h.page, run);
           const cpu = await gradKernel(h.page, {...run, backend: 'cpu'});
           grads.forEach((g, i) => expectClose(g.values, cpu[i].values, 1e-5, 1e-4));
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
      await expectSteadyMemory(h.page, {...inRun('webgl', c), wrt: ['x', 'gamma', 'beta'], dy});
    });
  });
});
