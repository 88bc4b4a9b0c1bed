// SPDX-License-Identifier: Apache-2.0
import {MsL2Normalize, MsL2NormalizeGrad} from '../../src/kernel_names';
import {FUSED_REDUCE_MAX} from '../../src/kernels/webgl/webgl_flags';
import {expectClose, l2NormalizeRef, randomValues, rng, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';
import {expectXGradMatchesRef, itReproducesSeeds} from './op_specs';

/** Reduction sizes up to this run fused (one pass) by default; above it, reduce + scale. */
const FUSED = {[FUSED_REDUCE_MAX]: 1e9};
const TWO_PASS = {[FUSED_REDUCE_MAX]: 0};

function l2Run(
    vals: ArrayLike<number>, shape: number[], axis: number[],
    epsilon = 1e-4, flags?: Record<string, number>): Run<KernelRun> {
  return {kernel: MsL2Normalize, inputs: {x: spec(vals, shape)}, attrs: {axis, epsilon}, flags};
}

describeEachBackend('MsL2Normalize', b => {
  itReproducesSeeds(b, 'L2Normalize', 'l2Normalize', a => [a.axis, a.epsilon]);

  // [shape, axes]: fused and two-pass sizes, non-contiguous axes, ranks 1-7
  // (rank 6 with alternating axes keeps all six dims; rank 7 collapses).
  const cases: Array<[number[], number[]]> = [
    [[7], [0]],
    [[3, 5], [0]],
    [[3, 5], [1]],
    [[2, 3, 4], [0, 2]],
    [[2, 3, 4], [1]],
    [[4, 70], [1]],
    [[2, 40, 3], [0, 1]],
    [[1, 3000], [1]],
    [[2, 3, 2, 2, 3], [1, 2, 3]],
    [[2, 3, 2, 3, 2, 3], [1, 3, 5]],
    [[2, 1, 3, 1, 2, 2, 2], [0, 4, 5]],
    [[3, 1, 4], [1]],
  ];
  for (const [shape, axes] of cases) {
    it(`matches float64 for [${shape}] over [${axes}]`, async () => {
      const vals = randomValues(sizeOf(shape), rng(sizeOf(shape) + axes.length), -3, 3);
      const expected = l2NormalizeRef(vals, shape, axes, 1e-4);
      const [y] = await b.runKernel(l2Run(vals, shape, axes));
      expect(y.shape).toEqual(shape);
      expectClose(y.values, expected, 1e-6, 1e-4);
    });
  }

  it('gives the same result in one pass and in two (reduce, then scale)', async () => {
    const shape = [3, 6, 5];
    const vals = randomValues(sizeOf(shape), rng(11), -2, 2);
    const expected = l2NormalizeRef(vals, shape, [1, 2], 1e-4);
    for (const flags of [FUSED, TWO_PASS]) {
      const [y] = await b.runKernel(l2Run(vals, shape, [1, 2], 1e-4, flags));
      expectClose(y.values, expected, 1e-6, 1e-4);
    }
  });

  it('reads packed input textures correctly', async () => {
    const shape = [3, 4, 5];
    const vals = randomValues(sizeOf(shape), rng(12), -2, 2);
    for (const axes of [[0, 2], [1], [2]]) {
      const [y] =
          await b.runKernel({...l2Run(vals, shape, axes), packedInputs: true});
      expectClose(y.values, l2NormalizeRef(vals, shape, axes, 1e-4), 1e-6, 1e-4);
    }
  });

  it('clamps the sum of squares (tiny input scales by 1/sqrt(eps)), in both schemes', async () => {
    const vals = [1e-10, 2e-10, 3e-10, 0, 0, 0];
    for (const flags of [FUSED, TWO_PASS]) {
      const [y] = await b.runKernel(l2Run(vals, [2, 3], [1], 1e-4, flags));
      expectClose(y.values, [1e-8, 2e-8, 3e-8, 0, 0, 0], 0, 1e-5);
    }
  });

  it('keeps NaN in its own slice, in both schemes', async () => {
    for (const flags of [FUSED, TWO_PASS]) {
      const [y] =
          await b.runKernel(l2Run([0, 0, NaN, 1, 3, 4], [3, 2], [1], 1e-4, flags));
      expectClose(y.values, [0, 0, NaN, NaN, 0.6, 0.8], 1e-6);
    }
  });

  it('handles empty tensors', async () => {
    const [y] = await b.runKernel(l2Run([], [0, 3], [1]));
    expect(y).toEqual({values: [], shape: [0, 3]});
  });

  it('holds GPU memory steady over repeated calls (both schemes)', async () => {
    const vals = randomValues(2 * 3000, rng(13));
    await expectSteadyMemory(b, l2Run(vals, [2, 3000], [1]));
    await expectSteadyMemory(b, l2Run(vals.slice(0, 24), [2, 3, 4], [0, 2], 1e-4, FUSED));
  });

  describe('gradient (MsL2NormalizeGrad)', () => {
    const cases: Array<[number[], number[], number]> = [
      [[5], [0], 1e-4],
      [[3, 4], [0], 1e-4],
      [[3, 4], [1], 1e-4],
      [[2, 3, 4], [0, 2], 1e-4],
      [[2, 3, 2, 2], [1, 2, 3], 1e-4],
      [[2, 40], [1], 1e-4],
      [[2, 3], [1], 10],  // clamp active for every slice: dx = dy / sqrt(eps)
    ];
    for (const [shape, axes, eps] of cases) {
      it(`matches float64 differences for [${shape}] over [${axes}], eps ${eps}`,
         () => expectXGradMatchesRef(b, shape, sizeOf(shape) * 3 + axes.length,
                                     xv => l2Run(xv, shape, axes, eps),
                                     v => l2NormalizeRef(v, shape, axes, eps)));
    }

    it('agrees between its one-pass and two-pass schemes', async () => {
      const shape = [3, 6, 5];
      const next = rng(21);
      const xv = randomValues(sizeOf(shape), next, -2, 2);
      const dy = spec(randomValues(sizeOf(shape), next), shape);
      const [fused] = await b.gradKernel(
          {...l2Run(xv, shape, [0, 2], 1e-4, FUSED), wrt: ['x'], dy});
      const [twoPass] = await b.gradKernel(
          {...l2Run(xv, shape, [0, 2], 1e-4, TWO_PASS), wrt: ['x'], dy});
      expectClose(fused.values, twoPass.values, 1e-6, 1e-5);
    });

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const shape = [2, 3000];
      const next = rng(22);
      const run = {
        ...l2Run(randomValues(6000, next), shape, [1]),
        wrt: ['x'],
        dy: spec(randomValues(6000, next), shape),
      };
      await expectSteadyMemory(b, run);
    });
  });

  it('runs MsL2NormalizeGrad directly', async () => {
    const [dx] = await b.runKernel({
      kernel: MsL2NormalizeGrad,
      inputs: {x: spec([3, 4], [2]), dy: spec([1, 0], [2])},
      attrs: {axis: [0], epsilon: 1e-4},
    });
    // d = 5: dx = dy / d - x * (x . dy) / d^3
    expectClose(dx.values, [1 / 5 - 3 * 3 / 125, -4 * 3 / 125], 1e-6, 1e-5);
  });
});

describeEachBackend('l2Normalize', b => {
  const l2 = async (...args: unknown[]) => (await b.runOp({op: 'l2Normalize', args}))[0].values;
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});

  it('clamps the sum of squares, not the norm (tiny input scales by 1/sqrt(eps))', async () => {
    expectClose(await l2([1e-10, 2e-10, 3e-10]), [1e-8, 2e-8, 3e-8], 0, 1e-6);
  });

  it('uses axis 0 and epsilon 1e-4 by default', async () => {
    expectClose(await l2([[3, 1], [4, 1]]), [0.6, Math.SQRT1_2, 0.8, Math.SQRT1_2], 1e-6);
  });

  const shapes = [[7], [3, 5], [2, 3, 4], [2, 1, 3, 5], [2, 3, 2, 2, 3]];
  for (const shape of shapes) {
    const rank = shape.length;
    const axisSets: number[][] = shape.map((_, a) => [a]);
    if (rank >= 2) {
      axisSets.push([0, rank - 1]);  // non-contiguous
      axisSets.push(shape.map((_, i) => i));  // everything
    }
    if (rank >= 3) {
      axisSets.push([1, 2]);  // contiguous middle
    }
    for (const axes of axisSets) {
      it(`matches the float64 reference for shape [${shape}] over axes [${axes}]`, async () => {
        const next = rng(shape.length * 31 + axes.reduce((s, a) => s * 7 + a + 1, 3));
        const vals = randomValues(sizeOf(shape), next, -3, 3);
        const axis = axes.length === 1 ? axes[0] : axes;
        expectClose(await l2(tensor(vals, shape), axis, 1e-4),
                    l2NormalizeRef(vals, shape, axes, 1e-4), 1e-6, 1e-5);
      });
    }
  }

  it('accepts negative axes as counted from the end', async () => {
    const vals = randomValues(24, rng(5));
    const x = tensor(vals, [2, 3, 4]);
    expectClose(await l2(x, -1), l2NormalizeRef(vals, [2, 3, 4], [2], 1e-4), 1e-6, 1e-5);
    expectClose(await l2(x, [-3, -1]), l2NormalizeRef(vals, [2, 3, 4], [0, 2], 1e-4), 1e-6, 1e-5);
    expectClose(await l2(x, [1]), l2NormalizeRef(vals, [2, 3, 4], [1], 1e-4), 1e-6, 1e-5);
  });
});
