import * as tf from '@tensorflow/tfjs-core';

import {groupNorm} from '../src';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, groupNormRef, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('groupNorm', () => {
  for (const c of seedCases('GroupNorm')) {
    it(`reproduces ${c.id}`, () => {
      const args = c.args as {num_groups: number, num_channels: number, eps: number};
      const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
      // affine=True with the default initializers: gamma ones, beta zeros.
      const y = expectNoLeak(() => take(groupNorm(x, args.num_groups, null, null, args.eps)));
      expectClose(y, seedValues(c, 'expected'), c.atol ?? 1e-5, c.rtol ?? 0);
      x.dispose();
    });
  }

  it('defaults to gamma = ones, beta = zeros and eps = 1e-5', () => {
    const shape = [2, 4, 3];
    const vals = randomValues(sizeOf(shape), rng(11), -2, 2);
    const y = take(groupNorm(tf.tensor(vals, shape), 2));
    expectClose(y, groupNormRef(vals, shape, 2, [1, 1, 1, 1], [0, 0, 0, 0], 1e-5), 1e-5);
  });

  const cases: Array<[number[], number]> = [
    [[3, 4], 2],            // (N, C)
    [[2, 6, 5], 3],         // (N, C, L)
    [[2, 4, 3, 3], 2],      // (N, C, H, W)
    [[2, 4, 2, 3, 2], 4],   // (N, C, D, H, W), one channel per group
    [[3, 6, 2, 2], 1],      // one group: every channel together
    [[1, 3, 1, 1], 3],      // one value per group: var = 0, output = beta
  ];
  for (const [shape, numGroups] of cases) {
    it(`matches the float64 reference for [${shape}] with ${numGroups} groups`, () => {
      const next = rng(sizeOf(shape) * 13 + numGroups);
      const vals = randomValues(sizeOf(shape), next, -3, 3);
      const gamma = randomValues(shape[1], next, 0.5, 2);
      const beta = randomValues(shape[1], next, -1, 1);
      const x = tf.tensor(vals, shape);
      const y = expectNoLeak(() => take(groupNorm(x, numGroups, gamma, beta, 1e-3)));
      expectClose(y, groupNormRef(vals, shape, numGroups, gamma, beta, 1e-3), 1e-5);
      x.dispose();
    });
  }

  it('is stable for a large mean with small spread (two-pass statistics)', () => {
    const shape = [2, 4, 8, 8];
    const next = rng(99);
    const vals = randomValues(sizeOf(shape), next, 1e4 - 0.05, 1e4 + 0.05);
    const gamma = randomValues(4, next, 0.5, 2);
    const beta = randomValues(4, next, -1, 1);
    const y = take(groupNorm(tf.tensor(vals, shape), 2, gamma, beta));
    expectClose(y, groupNormRef(vals, shape, 2, gamma, beta, 1e-5), 1e-5);
  });

  it('accepts nested arrays and handles empty batches', () => {
    const y = take(groupNorm([[1, 3], [2, 6]], 1, [1, 2], [0, 1]));
    // Rows normalize over their two values: (+-1) * gamma + beta.
    expectClose(y, [-1 / Math.sqrt(1 + 1e-5), 2 / Math.sqrt(1 + 1e-5) + 1,
                    -1 / Math.sqrt(1 + 1e-5 / 4), 2 / Math.sqrt(1 + 1e-5 / 4) + 1], 1e-6);
    const empty = groupNorm(tf.zeros([0, 4, 3]), 2);
    expect(empty.shape).toEqual([0, 4, 3]);
    empty.dispose();
  });

  describe('gradient', () => {
    const gradCases: Array<[number[], number]> = [
      [[3, 4], 2],
      [[2, 6, 3], 3],
      [[2, 4, 2, 2], 2],
      [[2, 2, 2, 2, 2], 1],
    ];
    for (const [shape, numGroups] of gradCases) {
      it(`matches float64 central differences for x, gamma, beta on [${shape}], ` +
         `${numGroups} groups`, () => {
        const next = rng(sizeOf(shape) + numGroups * 7);
        const xv = randomValues(sizeOf(shape), next, -2, 2);
        const gv = randomValues(shape[1], next, 0.5, 2);
        const bv = randomValues(shape[1], next, -1, 1);
        const dyv = randomValues(sizeOf(shape), next, -1, 1);
        const eps = 1e-3;
        const [x, gamma, beta, dy] =
            [tf.tensor(xv, shape), tf.tensor(gv), tf.tensor(bv), tf.tensor(dyv, shape)];
        const grads = expectNoLeak(() => tf.grads(
            (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => groupNorm(a, numGroups, g, b, eps))(
            [x, gamma, beta], dy).map(take));
        expectClose(grads[0], centralDiff(v => groupNormRef(v, shape, numGroups, gv, bv, eps),
                                          xv, dyv), 1e-5, 1e-4);
        expectClose(grads[1], centralDiff(v => groupNormRef(xv, shape, numGroups, v, bv, eps),
                                          gv, dyv), 1e-5, 1e-4);
        expectClose(grads[2], centralDiff(v => groupNormRef(xv, shape, numGroups, gv, v, eps),
                                          bv, dyv), 1e-5, 1e-4);
        tf.dispose([x, gamma, beta, dy]);
      });
    }

    it('leaks nothing when only x needs a gradient (unused dgamma, dbeta released)', () => {
      const shape = [2, 4, 3];
      const xv = randomValues(sizeOf(shape), rng(3));
      const x = tf.tensor(xv, shape);
      const gamma = tf.tensor([1, 2, 3, 4]);
      const g = expectNoLeak(
          () => take(tf.grad((a: tf.Tensor) => tf.sum(tf.square(groupNorm(a, 2, gamma))))(x)));
      const expected = centralDiff(
          v => {
            const y = groupNormRef(v, shape, 2, [1, 2, 3, 4], [0, 0, 0, 0], 1e-5);
            return [y.reduce((s, t) => s + t * t, 0)];
          },
          xv, [1]);
      expectClose(g, expected, 1e-4, 1e-4);
      tf.dispose([x, gamma]);
    });
  });

  describe('errors', () => {
    // Tensors the cases pass in are made once, so a leak check sees only the op's own.
    let x6: tf.Tensor;
    let xInt: tf.Tensor;
    let gammaRank2: tf.Tensor;
    let beta7: tf.Tensor;
    beforeAll(() => {
      x6 = tf.ones([2, 6, 3]);
      xInt = tf.ones([2, 4], 'int32');
      gammaRank2 = tf.ones([1, 6]);
      beta7 = tf.zeros([7]);
    });
    afterAll(() => tf.dispose([x6, xInt, gammaRank2, beta7]));

    const cases: Array<[string, () => unknown, RegExp]> = [
      ['numGroups not dividing C', () => groupNorm(x6, 4),
       /groupNorm: 'numGroups' must be a divisor of the number of channels \(6\), but got 4\./],
      ['numGroups = 0', () => groupNorm(x6, 0),
       /groupNorm: 'numGroups' must be an integer >= 1, but got 0\./],
      ['fractional numGroups', () => groupNorm(x6, 1.5), /'numGroups' must be an integer >= 1, but got 1\.5/],
      ['numGroups NaN', () => groupNorm(x6, NaN), /'numGroups' .* but got NaN/],
      ['eps = 0', () => groupNorm(x6, 2, null, null, 0), /groupNorm: 'eps' must be a finite number > 0, but got 0\./],
      ['eps < 0', () => groupNorm(x6, 2, null, null, -1e-5), /'eps' .* but got -0\.00001/],
      ['eps infinite', () => groupNorm(x6, 2, null, null, Infinity), /'eps' .* but got Infinity/],
      ['rank 1 input', () => groupNorm([1, 2, 3, 4], 2), /groupNorm: 'x' must be of rank >= 2 \(N, C, \*\), but got rank 1 \(shape \[4\]\)/],
      ['int32 input', () => groupNorm(xInt, 2), /groupNorm: 'x' must be a float32 tensor, but got a int32 tensor of shape \[2,4\]/],
      ['ragged input', () => groupNorm([[1, 2], [3]], 1), /'x' must be a rectangular \(nested\) array/],
      ['gamma of the wrong shape', () => groupNorm(x6, 2, [1, 1, 1]), /groupNorm: 'gamma' must have shape \[6\], but got shape \[3\]\./],
      ['gamma of rank 2', () => groupNorm(x6, 2, gammaRank2), /'gamma' must have shape \[6\], but got shape \[1,6\]/],
      ['beta of the wrong shape', () => groupNorm(x6, 2, null, beta7), /groupNorm: 'beta' must have shape \[6\], but got shape \[7\]\./],
      ['int32 gamma', () => groupNorm(x6, 2, new Int32Array(6)), /'gamma' must hold float32 numbers, but got int32/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }

    it('rejects a disposed input without leaking', () => {
      const x = tf.ones([2, 4]);
      x.dispose();
      expectThrowsNoLeak(() => groupNorm(x, 2), /groupNorm: 'x' is a disposed tensor/);
    });

    it('releases converted arrays on a late error', () => {
      // x and gamma are converted from arrays before beta fails its check.
      expectThrowsNoLeak(() => groupNorm([[1, 2], [3, 4]], 1, [1, 1], [0]),
                         /'beta' must have shape \[2\], but got shape \[1\]/);
    });
  });
});
