// SPDX-License-Identifier: Apache-2.0
import {centralDiff, expectClose, randomValues, rng, sizeOf, torchLrnRef} from '../test_util';

import {describeEachBackend, spec} from '../backends/backend_under_test';
import {itReproducesSeeds, randomInputAndParams} from './op_specs';

/** PyTorch's LocalResponseNorm, composed of tf ops: no kernel of its own, so only the op spec. */
describeEachBackend('torchLocalResponseNorm (PyTorch contrast op)', b => {
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});
  const op = async (...args: unknown[]) =>
      (await b.runOp({op: 'torchLocalResponseNorm', args}))[0].values;

  itReproducesSeeds(b, 'TorchLocalResponseNorm', 'torchLocalResponseNorm',
                    a => [a.size, a.alpha, a.beta, a.k]);

  it('costs no more than the channel count for a window far wider than the channels', async () => {
    // size 1e9 once made 1e9 slices (minutes, gigabytes); the clipped window is 2C - 1 wide.
    for (const [shape, size] of [[[1, 2, 2], 1e9], [[2, 3, 2], 1e9 + 1], [[1, 4, 1], 8]] as const) {
      const vals = randomValues(sizeOf([...shape]), rng(size % 97), -3, 3);
      expectClose(await op(tensor(vals, [...shape]), size, 0.5, 0.75, 2),
                  torchLrnRef(vals, [...shape], size, 0.5, 0.75, 2), 1e-6, 1e-5);
    }
    const y = await op(tensor([1, 1, 1, 1], [1, 2, 2]), 1e9);
    // Each channel sums both squares: 1 / (1 + 1e-4 / 1e9 * 2)^0.75.
    expectClose(y, new Array(4).fill(Math.pow(1 + 2e-13, -0.75)), 1e-7, 0);
  });

  it('uses PyTorch defaults (alpha 1e-4, beta 0.75, k 1)', async () => {
    const shape = [1, 5, 2];
    const vals = randomValues(sizeOf(shape), rng(3), -20, 20);
    expectClose(await op(tensor(vals, shape), 3), torchLrnRef(vals, shape, 3, 1e-4, 0.75, 1), 1e-6, 1e-5);
  });

  const shapes = [[2, 4, 3], [1, 7, 2, 3], [2, 3, 1, 2, 2], [1, 1, 4], [2, 5, 0]];
  for (const shape of shapes) {
    // Rank 5 on webgl: the op pads at rank 3 (tfjs-webgl's pad does not compile for rank 5).
    for (const size of [1, 2, 3, 4, 5, 9]) {
      it(`matches the float64 reference for [${shape}], size ${size}`, async () => {
        const {x: vals, params: [alpha, beta, k]} =
            randomInputAndParams(shape, sizeOf(shape) * 7 + size, 3, [0.05, 0.3, 0.5]);
        expectClose(await op(tensor(vals, shape), size, alpha, beta, k),
                    torchLrnRef(vals, shape, size, alpha, beta, k), 1e-6, 1e-5);
      });
    }
  }

  it('uses the asymmetric window [c - 1, c] for size 2: channel c + 1 never matters', async () => {
    const base = [1, 2, 3, 4];
    const bumped = [1, 2, 3, 40];  // only the last channel changes
    const run = (v: number[]) => op(tensor(v, [1, 4, 1]), 2, 1, 1, 1);
    const [a, c] = [await run(base), await run(bumped)];
    expectClose(a.slice(0, 3), c.slice(0, 3), 0, 0);
    expect(a[3]).not.toBeCloseTo(c[3], 3);
  });

  it('has gradients matching float64 central differences', async () => {
    const shape = [1, 4, 2];
    const next = rng(77);
    const xv = randomValues(8, next, -2, 2);
    const dyv = randomValues(8, next);
    const out = await b.evaluate(async (h, a) => {
      const {tf, ms} = h;
      const before = tf.memory().numTensors;
      const x = tf.tensor(a.xv, a.shape);
      const dy = tf.tensor(a.dyv, a.shape);
      const g = tf.grad((t: typeof x) => ms.torchLocalResponseNorm(t, 2, 0.5, 0.75, 1))(x, dy);
      const values = Array.from(await g.data());
      tf.dispose([x, dy, g]);
      return {values, leaked: tf.memory().numTensors - before};
    }, {xv: Array.from(xv), dyv: Array.from(dyv), shape});
    expect(out.leaked).toBe(0);
    expectClose(out.values, centralDiff(v => torchLrnRef(v, shape, 2, 0.5, 0.75, 1), xv, dyv), 1e-4, 1e-3);
  });
});
