import * as tf from '@tensorflow/tfjs-core';

import {torchLocalResponseNorm} from '../src';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * float64 reference of PyTorch's LocalResponseNorm on (N, C, *):
 * x[c] / (k + alpha / size * sum_{c' in [c - floor(size/2), c + floor((size-1)/2)]} x[c']^2)^beta.
 */
export function torchLrnRef(
    x: ArrayLike<number>, shape: number[], size: number, alpha: number, beta: number,
    k: number): Float64Array {
  const [n, c] = shape;
  const inner = sizeOf(shape.slice(2));
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < inner; p++) {
        let sum = 0;
        // The window clipped to the channels that exist (the others add zeros).
        const first = Math.max(ch - Math.floor(size / 2), 0);
        const last = Math.min(ch + Math.floor((size - 1) / 2), c - 1);
        for (let j = first; j <= last; j++) {
          const v = x[(b * c + j) * inner + p];
          sum += v * v;
        }
        const i = (b * c + ch) * inner + p;
        out[i] = x[i] / Math.pow(k + (alpha / size) * sum, beta);
      }
    }
  }
  return out;
}

interface TorchLrnArgs {
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

describe('torchLocalResponseNorm (PyTorch contrast op)', () => {
  for (const c of seedCases('TorchLocalResponseNorm')) {
    it(`reproduces ${c.id}`, () => {
      const a = c.args as unknown as TorchLrnArgs;
      const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
      const y = expectNoLeak(() => take(torchLocalResponseNorm(x, a.size, a.alpha, a.beta, a.k)));
      expectClose(y, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
      x.dispose();
    });
  }

  it('costs no more than the channel count for a window far wider than the channels', () => {
    // size 1e9 once made 1e9 slices (minutes, gigabytes); the clipped window is 2C - 1 wide.
    for (const [shape, size] of [[[1, 2, 2], 1e9], [[2, 3, 2], 1e9 + 1], [[1, 4, 1], 8]] as const) {
      const vals = randomValues(sizeOf([...shape]), rng(size % 97), -3, 3);
      const x = tf.tensor(vals, [...shape]);
      const y = expectNoLeak(() => take(torchLocalResponseNorm(x, size, 0.5, 0.75, 2)));
      expectClose(y, torchLrnRef(vals, [...shape], size, 0.5, 0.75, 2), 1e-6, 1e-5);
      x.dispose();
    }
    const ones = tf.ones([1, 2, 2]);
    const y = take(torchLocalResponseNorm(ones, 1e9));
    ones.dispose();
    // Each channel sums both squares: 1 / (1 + 1e-4 / 1e9 * 2)^0.75.
    expectClose(y, new Array(4).fill(Math.pow(1 + 2e-13, -0.75)), 1e-7, 0);
  });

  it('uses PyTorch defaults (alpha 1e-4, beta 0.75, k 1)', () => {
    const shape = [1, 5, 2];
    const vals = randomValues(sizeOf(shape), rng(3), -20, 20);
    const y = take(torchLocalResponseNorm(tf.tensor(vals, shape), 3));
    expectClose(y, torchLrnRef(vals, shape, 3, 1e-4, 0.75, 1), 1e-6, 1e-5);
  });

  const shapes = [[2, 4, 3], [1, 7, 2, 3], [2, 3, 1, 2, 2], [1, 1, 4], [2, 5, 0]];
  for (const shape of shapes) {
    for (const size of [1, 2, 3, 4, 5, 9]) {
      it(`matches the float64 reference for [${shape}], size ${size}`, () => {
        const next = rng(sizeOf(shape) * 7 + size);
        const vals = randomValues(sizeOf(shape), next, -3, 3);
        const alpha = 0.05 + next();
        const beta = 0.3 + next();
        const k = 0.5 + next();
        const x = tf.tensor(vals, shape);
        const y = expectNoLeak(() => take(torchLocalResponseNorm(x, size, alpha, beta, k)));
        expectClose(y, torchLrnRef(vals, shape, size, alpha, beta, k), 1e-6, 1e-5);
        x.dispose();
      });
    }
  }

  it('uses the asymmetric window [c - 1, c] for size 2: channel c + 1 never matters', () => {
    const base = [1, 2, 3, 4];
    const bumped = [1, 2, 3, 40];  // only the last channel changes
    const run = (v: number[]) => take(torchLocalResponseNorm(tf.tensor3d(v, [1, 4, 1]), 2, 1, 1, 1));
    const [a, b] = [run(base), run(bumped)];
    expectClose(a.slice(0, 3), b.slice(0, 3), 0, 0);
    expect(a[3]).not.toBeCloseTo(b[3], 3);
  });

  it('has gradients matching float64 central differences', () => {
    const shape = [1, 4, 2];
    const next = rng(77);
    const xv = randomValues(8, next, -2, 2);
    const dyv = randomValues(8, next);
    const x = tf.tensor(xv, shape);
    const dy = tf.tensor(dyv, shape);
    const g = expectNoLeak(
        () => take(tf.grad((t: tf.Tensor) => torchLocalResponseNorm(t, 2, 0.5, 0.75, 1))(x, dy)));
    expectClose(g, centralDiff(v => torchLrnRef(v, shape, 2, 0.5, 0.75, 1), xv, dyv), 1e-4, 1e-3);
    tf.dispose([x, dy]);
  });

  describe('errors', () => {
    const x3 = [[[1], [2]]];
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['size 0', () => torchLocalResponseNorm(x3, 0), /torchLocalResponseNorm: 'size' must be an integer >= 1, but got 0\./],
      ['a fractional size', () => torchLocalResponseNorm(x3, 2.5), /'size' must be an integer >= 1, but got 2.5/],
      ['a missing size', () => (torchLocalResponseNorm as (x: unknown) => tf.Tensor)(x3), /'size' must be an integer >= 1, but got undefined/],
      ['a NaN alpha', () => torchLocalResponseNorm(x3, 2, NaN), /torchLocalResponseNorm: 'alpha' must be a finite number, but got NaN/],
      ['an infinite beta', () => torchLocalResponseNorm(x3, 2, 1e-4, Infinity), /'beta' must be a finite number, but got Infinity/],
      ['a string k', () => torchLocalResponseNorm(x3, 2, 1e-4, 0.75, '1' as unknown as number), /'k' must be a finite number, but got '1'/],
      ['a rank-2 input', () => torchLocalResponseNorm([[1, 2]], 2), /torchLocalResponseNorm: 'x' must be of rank >= 3 \(N, C, \*\), but got rank 2 \(shape \[1,2\]\)/],
      ['a bool input', () => torchLocalResponseNorm([[[true]]], 1), /torchLocalResponseNorm: 'x' must hold float32 numbers, but got bool/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }
  });
});
