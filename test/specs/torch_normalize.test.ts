// SPDX-License-Identifier: Apache-2.0
import {centralDiff, expectClose, randomValues, rng, sizeOf, torchNormalizeRef} from '../test_util';

import {describeEachBackend, spec} from '../backends/backend_under_test';
import {itReproducesSeeds} from './op_specs';

/** PyTorch's normalize, composed of tf ops: no kernel of its own, so only the op spec. */
describeEachBackend('torchNormalize (PyTorch contrast op)', b => {
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});
  const op = async (...args: unknown[]) => (await b.runOp({op: 'torchNormalize', args}))[0].values;
  const l2 = async (...args: unknown[]) => (await b.runOp({op: 'l2Normalize', args}))[0].values;

  /** dx of sum(torchNormalize(x, p, dim, eps) * dy) on the backend (leak-checked). */
  const gradOf = async (xv: ArrayLike<number>, dyv: ArrayLike<number>, shape: number[], p: number,
                        dim: number, eps?: number) => {
    const out = await b.evaluate(async (h, a) => {
      const {tf, ms} = h;
      // tfjs's per-kernel leak check (IS_TEST) counts the tensors a customGrad
      // forward saves as leaked where Identity copies (tfjs-wasm; tfjs issue
      // 6518); the counters below are this test's leak check.
      const isTest = tf.env().getBool('IS_TEST');
      tf.env().set('IS_TEST', isTest && tf.getBackend() !== 'wasm');
      const before = tf.memory();
      const x = tf.tensor(a.xv, a.shape);
      const dy = tf.tensor(a.dyv, a.shape);
      // p travels as text: JSON has no Infinity.
      const g = tf.grad((t: typeof x) => ms.torchNormalize(t, Number(a.p), a.dim, a.eps))(x, dy);
      const values = Array.from(await g.data());
      tf.dispose([x, dy, g]);
      tf.env().set('IS_TEST', isTest);
      const after = tf.memory();
      return {values, leaked: [after.numTensors - before.numTensors,
                               after.numDataBuffers - before.numDataBuffers]};
    }, {xv: Array.from(xv), dyv: Array.from(dyv), shape, p: String(p), dim, eps});
    expect(out.leaked).toEqual([0, 0]);
    return out.values;
  };

  itReproducesSeeds(b, 'TorchNormalize', 'torchNormalize', a => [a.p, a.dim, a.eps]);

  it('uses PyTorch defaults (p 2, dim 1, eps 1e-12)', async () => {
    const shape = [3, 4];
    const vals = randomValues(sizeOf(shape), rng(7));
    expectClose(await op(tensor(vals, shape)), torchNormalizeRef(vals, shape, 2, [1], 1e-12), 1e-6, 1e-5);
  });

  const cases: Array<[number[], number|number[], number[]]> = [
    [[5], 0, [0]],
    [[2, 3, 4], -1, [2]],
    [[3, 1, 5], 1, [1]],
    [[2, 3, 2, 2], [1, 3], [1, 3]],
    [[2, 0, 3], 2, [2]],
  ];
  for (const p of [0, 0.5, 1, 2, 3, 4.5, Infinity]) {
    for (const [shape, dim, axes] of cases) {
      it(`matches the float64 reference for p ${p}, [${shape}], dim ${dim}`, async () => {
        const vals = randomValues(sizeOf(shape), rng(sizeOf(shape) + 31 * axes[0]), -3, 3);
        if (vals.length > 2) {
          vals[1] = 0;  // p = 0 counts non-zero entries
        }
        expectClose(await op(tensor(vals, shape), p, dim, 1e-12),
                    torchNormalizeRef(vals, shape, p, axes, 1e-12), 1e-6, 2e-5);
      });
    }
  }

  it('divides by eps where the norm is smaller', async () => {
    const vals = [1e-5, -2e-5, 0, 3e-3, 4e-3, 0];
    const y = await op(tensor(vals, [2, 3]), 2, 1, 1e-3);
    // row 0: norm 2.2e-5 < eps -> x / 1e-3; row 1: norm 5e-3 -> x / 5e-3
    expectClose(y, [1e-2, -2e-2, 0, 0.6, 0.8, 0], 1e-7, 1e-5);
  });

  it("differs from MindSpore's l2Normalize given the same number as epsilon (SEMANTICS example)",
     async () => {
       const x = tensor([1e-10, 2e-10, 3e-10], [3]);
       expectClose(await op(x, 2, 0, 1e-4), [1e-6, 2e-6, 3e-6], 0, 1e-5);
       expectClose(await l2(x, 0, 1e-4), [1e-8, 2e-8, 3e-8], 0, 1e-5);
     });

  describe('gradient', () => {
    for (const p of [0, 0.5, 1, 1.5, 2, 3, Infinity]) {
      it(`matches float64 central differences for p ${p}`, async () => {
        const shape = [2, 3];
        const next = rng(100 + (Number.isFinite(p) ? p * 10 : 99));
        const xv = randomValues(6, next, -2, 2);
        const dyv = randomValues(6, next);
        const g = await gradOf(xv, dyv, shape, p, 1);
        expectClose(g, centralDiff(v => torchNormalizeRef(v, shape, p, [1], 1e-12), xv, dyv), 1e-4, 1e-3);
      });
    }

    it('splits the p = Infinity gradient evenly among tied largest entries (as PyTorch)', async () => {
      // y = x / n with n = 3; dn/dx = [1/2, -1/2, 0]; dx = dy / n - sum(dy * x) / n^2 * dn/dx
      const g = await gradOf([3, -3, 1], [1, 1, 1], [1, 3], Infinity, 1);
      expectClose(g, [1 / 3 - 1 / 18, 1 / 3 + 1 / 18, 1 / 3], 1e-6, 0);
    });

    it('is dy / eps (finite) for a zero vector, where the clamp holds the norm', async () => {
      const g = await gradOf([0, 0, 0], [1, -2, 0.5], [1, 3], 2, 1, 0.5);
      expectClose(g, [2, -4, 1], 1e-6, 0);
    });
  });
});
