// SPDX-License-Identifier: Apache-2.0
import {MsInstanceNorm} from '../../src/kernel_names';
import {affineInputs, centralDiff, expectClose, instanceNormRef, randomValues, rng, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

interface InstanceNormCase {
  shape: number[];
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
}

function randomCase(shape: number[], seed: number): InstanceNormCase {
  return {shape, ...affineInputs(shape, shape[1], seed)};
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
    // The cpu kernels hold a float64-level bound; float32 sums of
    // central-difference-sized terms reach ~1e-4.
    const [gradAtol, gradRtol] = b.accumulation === 'float64' ? [1e-5, 1e-4] : [1e-4, 1e-3];
    for (const shape of [[2, 3, 4], [1, 2, 2, 3], [2, 2, 2, 3], [1, 2, 2, 2, 2], [3, 1, 5]]) {
      it(`matches float64 differences for x, gamma, beta ([${shape}])`,
         async () => {
           const c = randomCase(shape, sizeOf(shape) * 7);
           const dyv = randomValues(sizeOf(shape), rng(8), -1, 1);
           const run = {...inRun(c), wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
           const grads = await b.gradKernel(run);
           const f = (x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>) =>
               instanceNormRef(x, shape, gamma, beta, 1e-5);
           expectClose(grads[0].values, centralDiff(v => f(v, c.gamma, c.beta), c.x, dyv), gradAtol, gradRtol);
           expectClose(grads[1].values, centralDiff(v => f(c.x, v, c.beta), c.gamma, dyv), gradAtol, gradRtol);
           expectClose(grads[2].values, centralDiff(v => f(c.x, c.gamma, v), c.beta, dyv), gradAtol, gradRtol);
         });
    }

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const c = randomCase([2, 3, 8, 8], 9);
      const dy = spec(randomValues(c.x.length, rng(10)), c.shape);
      await expectSteadyMemory(b, {...inRun(c), wrt: ['x', 'gamma', 'beta'], dy});
    });
  });
});

function makeCase(shape: number[], seed: number, lo = -2, hi = 2) {
  const {x: xv, gamma: gv, beta: bv} = affineInputs(shape, shape[1], seed, [lo, hi]);
  return {xv, gv, bv};
}

describeEachBackend('instanceNorm', b => {
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});
  const instanceNormOp = async (...args: unknown[]) => (await b.runOp({op: 'instanceNorm', args}))[0];

  it('normalizes each (n, c) slice with its own biased statistics', async () => {
    // Slices [1, 3] (mean 2, var 1) and [0, 4] (mean 2, var 4).
    const y = await instanceNormOp([[[1, 3], [0, 4]]], null, null, 1e-5);
    const a = 1 / Math.sqrt(1 + 1e-5);
    const c = 2 / Math.sqrt(4 + 1e-5);
    expectClose(y.values, [-a, a, -c, c], 1e-6);
  });

  it('applies gamma[c] and beta[c] per channel', async () => {
    const y = await instanceNormOp([[[1, 3], [0, 4]]], [2, 3], [10, 20]);
    const a = 1 / Math.sqrt(1 + 1e-5);
    const c = 2 / Math.sqrt(4 + 1e-5);
    expectClose(y.values, [10 - 2 * a, 10 + 2 * a, 20 - 3 * c, 20 + 3 * c], 1e-5);
  });

  it('uses eps 1e-5 by default', async () => {
    // var = 2.5e-6, comparable to eps.
    const y = await instanceNormOp([[[0, Math.fround(3.1622776e-3)]]]);
    const half = Math.fround(3.1622776e-3) / 2;
    const expected = half / Math.sqrt(half * half + 1e-5);
    expectClose(y.values, [-expected, expected], 1e-5);
  });

  it('treats undefined gamma/beta as ones/zeros and leaks nothing', async () => {
    const {xv} = makeCase([2, 3, 4], 1);
    const y = await instanceNormOp(tensor(xv, [2, 3, 4]));
    expectClose(y.values, instanceNormRef(xv, [2, 3, 4], [1, 1, 1], [0, 0, 0], 1e-5), 1e-5);
  });

  const shapes = [
    [2, 3, 5],        // (N, C, L)
    [1, 4, 7],
    [2, 3, 4, 5],     // (N, C, H, W)
    [3, 2, 1, 6],
    [2, 2, 3, 2, 4],  // (N, C, D, H, W)
    [1, 3, 2, 2, 2],
  ];
  for (const shape of shapes) {
    it(`matches the float64 reference on [${shape}]`, async () => {
      const {xv, gv, bv} = makeCase(shape, sizeOf(shape), -4, 4);
      const y = await instanceNormOp(tensor(xv, shape), tensor(gv, [shape[1]]), tensor(bv, [shape[1]]), 1e-5);
      expect(y.shape).toEqual(shape);
      expectClose(y.values, instanceNormRef(xv, shape, gv, bv, 1e-5), 1e-5);
    });
  }

  // The cpu kernels (float64 statistics) keep 1e-5. Float32 backends
  // (tfjs-wasm's composed fallback, the WebGL programs) sum 32 values near 1e4
  // in float32: the mean is off by ~1e-3, y by that times gamma (up to 2) over
  // the spread, 4.2e-3 on both; the bound is about 2x above.
  const offsetTol = b.accumulation === 'float64' ? 1e-5 : 1e-2;
  it('is stable on a large offset (1e4 + noise): two-pass statistics', async () => {
    const shape = [2, 3, 32];
    const xv = randomValues(sizeOf(shape), rng(77), 1e4 - 1, 1e4 + 1);
    const gv = [1, 2, 0.5];
    const bv = [0, 1, -1];
    const y = await instanceNormOp(tensor(xv, shape), gv, bv, 1e-5);
    expectClose(y.values, instanceNormRef(xv, shape, gv, bv, 1e-5), offsetTol);
  });

  it('maps a constant slice to beta[c]', async () => {
    const y = await instanceNormOp([[[7, 7, 7], [1, 2, 3]]], [5, 1], [0.5, 0]);
    expectClose(y.values.slice(0, 3), [0.5, 0.5, 0.5], 0);
  });

  it('handles empty tensors', async () => {
    const y = await instanceNormOp(tensor([], [0, 3, 4]));
    expect(y.shape).toEqual([0, 3, 4]);
  });

  it('leaks nothing in the gradient when gamma and beta are defaulted (only x differentiated)',
     async () => {
       // The gradient with gamma and beta given is MsInstanceNormGrad's spec.
       const shape = [2, 2, 3];
       const {xv} = makeCase(shape, 5);
       const dyv = randomValues(sizeOf(shape), rng(6), -1, 1);
       const out = await b.evaluate(async (h, a) => {
         const {tf, ms} = h;
         const before = tf.memory().numTensors;
         const [x, dy] = [tf.tensor(a.xv, a.shape), tf.tensor(a.dyv, a.shape)];
         const g = tf.grad((t: typeof x) => ms.instanceNorm(t))(x, dy);
         const values = Array.from(await g.data());
         tf.dispose([x, dy, g]);
         return {values, leaked: tf.memory().numTensors - before};
       }, {xv: Array.from(xv), dyv: Array.from(dyv), shape});
       expect(out.leaked).toBe(0);
       const expected = centralDiff(v => instanceNormRef(v, shape, [1, 1], [0, 0], 1e-5), xv, dyv);
       expectClose(out.values, expected, 1e-5, 1e-4);
     });
});
