import * as tf from '@tensorflow/tfjs-core';

import {instanceNorm} from '../src';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, instanceNormRef, randomValues, rng, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function makeCase(shape: number[], seed: number, lo = -2, hi = 2) {
  const next = rng(seed);
  return {
    xv: randomValues(sizeOf(shape), next, lo, hi),
    gv: randomValues(shape[1], next, 0.5, 1.5),
    bv: randomValues(shape[1], next, -1, 1),
  };
}

describe('instanceNorm', () => {
  it('normalizes each (n, c) slice with its own biased statistics', () => {
    // Slices [1, 3] (mean 2, var 1) and [0, 4] (mean 2, var 4).
    const y = take(instanceNorm([[[1, 3], [0, 4]]], null, null, 1e-5));
    const a = 1 / Math.sqrt(1 + 1e-5);
    const b = 2 / Math.sqrt(4 + 1e-5);
    expectClose(y, [-a, a, -b, b], 1e-6);
  });

  it('applies gamma[c] and beta[c] per channel', () => {
    const y = take(instanceNorm([[[1, 3], [0, 4]]], [2, 3], [10, 20]));
    const a = 1 / Math.sqrt(1 + 1e-5);
    const b = 2 / Math.sqrt(4 + 1e-5);
    expectClose(y, [10 - 2 * a, 10 + 2 * a, 20 - 3 * b, 20 + 3 * b], 1e-5);
  });

  it('uses eps 1e-5 by default', () => {
    // var = 2.5e-6, comparable to eps.
    const y = take(instanceNorm([[[0, Math.fround(3.1622776e-3)]]]));
    const half = Math.fround(3.1622776e-3) / 2;
    const expected = half / Math.sqrt(half * half + 1e-5);
    expectClose(y, [-expected, expected], 1e-5);
  });

  it('treats undefined gamma/beta as ones/zeros and leaks nothing', () => {
    const {xv} = makeCase([2, 3, 4], 1);
    const x = tf.tensor(xv, [2, 3, 4]);
    const y = expectNoLeak(() => take(instanceNorm(x)));
    expectClose(y, instanceNormRef(xv, [2, 3, 4], [1, 1, 1], [0, 0, 0], 1e-5), 1e-5);
    x.dispose();
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
    it(`matches the float64 reference on [${shape}]`, () => {
      const {xv, gv, bv} = makeCase(shape, sizeOf(shape), -4, 4);
      const [x, gamma, beta] = [tf.tensor(xv, shape), tf.tensor(gv), tf.tensor(bv)];
      const y = expectNoLeak(() => {
        const out = instanceNorm(x, gamma, beta, 1e-5);
        expect(out.shape).toEqual(shape);
        return take(out);
      });
      expectClose(y, instanceNormRef(xv, shape, gv, bv, 1e-5), 1e-5);
      tf.dispose([x, gamma, beta]);
    });
  }

  it('is stable on a large offset (1e4 + noise): two-pass statistics', () => {
    const shape = [2, 3, 32];
    const xv = randomValues(sizeOf(shape), rng(77), 1e4 - 1, 1e4 + 1);
    const gv = [1, 2, 0.5];
    const bv = [0, 1, -1];
    const y = take(instanceNorm(tf.tensor(xv, shape), gv, bv, 1e-5));
    expectClose(y, instanceNormRef(xv, shape, gv, bv, 1e-5), 1e-5);
  });

  it('maps a constant slice to beta[c]', () => {
    const y = take(instanceNorm([[[7, 7, 7], [1, 2, 3]]], [5, 1], [0.5, 0]));
    expectClose(y.slice(0, 3), [0.5, 0.5, 0.5], 0);
  });

  it('handles empty tensors', () => {
    const y = instanceNorm(tf.zeros([0, 3, 4]));
    expect(y.shape).toEqual([0, 3, 4]);
    y.dispose();
  });

  describe('gradient', () => {
    const cases = [[2, 3, 4], [2, 2, 2, 3], [1, 2, 2, 2, 2], [3, 1, 5]];
    for (const shape of cases) {
      it(`matches float64 central differences over x, gamma and beta on [${shape}]`, () => {
        const {xv, gv, bv} = makeCase(shape, 300 + sizeOf(shape));
        const dyv = randomValues(sizeOf(shape), rng(11), -1, 1);
        const eps = 1e-5;
        const [x, gamma, beta, dy] =
            [tf.tensor(xv, shape), tf.tensor(gv), tf.tensor(bv), tf.tensor(dyv, shape)];
        const f = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => instanceNorm(t, g, b, eps);
        const grads = expectNoLeak(() => tf.grads(f)([x, gamma, beta], dy).map(take));
        const ref = (xs: ArrayLike<number>, gs: ArrayLike<number>, bs: ArrayLike<number>) =>
            instanceNormRef(xs, shape, gs, bs, eps);
        expectClose(grads[0], centralDiff(v => ref(v, gv, bv), xv, dyv), 1e-5, 1e-4);
        expectClose(grads[1], centralDiff(v => ref(xv, v, bv), gv, dyv), 1e-5, 1e-4);
        expectClose(grads[2], centralDiff(v => ref(xv, gv, v), bv, dyv), 1e-5, 1e-4);
        tf.dispose([x, gamma, beta, dy]);
      });
    }

    it('leaks nothing when gamma and beta are defaulted (only x differentiated)', () => {
      const shape = [2, 2, 3];
      const {xv} = makeCase(shape, 5);
      const dyv = randomValues(sizeOf(shape), rng(6), -1, 1);
      const [x, dy] = [tf.tensor(xv, shape), tf.tensor(dyv, shape)];
      const g = expectNoLeak(() => take(tf.grad((t: tf.Tensor) => instanceNorm(t))(x, dy)));
      const expected =
          centralDiff(v => instanceNormRef(v, shape, [1, 1], [0, 0], 1e-5), xv, dyv);
      expectClose(g, expected, 1e-5, 1e-4);
      tf.dispose([x, dy]);
    });
  });

  describe('errors', () => {
    const x = [[[1, 2], [3, 4]]];  // shape [1, 2, 2]
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['rank-2 input', () => instanceNorm([[1, 2], [3, 4]]),
       /^instanceNorm: 'x' must be of rank >= 3 \(N, C, \*\), but got rank 2 \(shape \[2,2\]\)\.$/],
      ['eps = 0', () => instanceNorm(x, null, null, 0),
       /^instanceNorm: 'eps' must be a finite number > 0, but got 0\.$/],
      ['negative eps', () => instanceNorm(x, null, null, -1), /'eps' must be a finite number > 0, but got -1\./],
      ['NaN eps', () => instanceNorm(x, null, null, NaN), /'eps' must be a finite number > 0, but got NaN\./],
      ['gamma of the wrong length', () => instanceNorm(x, [1, 1, 1]),
       /^instanceNorm: 'gamma' must have shape \[2\], but got shape \[3\]\.$/],
      ['beta of the wrong rank', () => instanceNorm(x, [1, 1], [[0, 0]]),
       /^instanceNorm: 'beta' must have shape \[2\], but got shape \[1,2\]\.$/],
      ['ragged x', () => instanceNorm([[[1, 2], [3]]]),
       /'x' must be a rectangular \(nested\) array of numbers, but x\[0\]\[1\] has 1 elements/],
      ['string gamma', () => instanceNorm(x, 'ones' as unknown as number[]),
       /'gamma' must be a float32 Tensor or a \(nested\) array of numbers, but got 'ones'/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }

    it('rejects an int32 x tensor', () => {
      const t = tf.tensor([1, 2], [1, 1, 2], 'int32');
      expectThrowsNoLeak(() => instanceNorm(t),
          /instanceNorm: 'x' must be a float32 tensor, but got a int32 tensor of shape \[1,1,2\]/);
      t.dispose();
    });

    it('rejects a disposed gamma', () => {
      const g = tf.tensor([1, 1]);
      g.dispose();
      expectThrowsNoLeak(() => instanceNorm(x, g), /instanceNorm: 'gamma' is a disposed tensor/);
    });
  });
});
