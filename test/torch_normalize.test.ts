import * as tf from '@tensorflow/tfjs-core';

import {l2Normalize, torchNormalize} from '../src';
import {centralDiff, coordsOf, expectClose, expectNoLeak, expectThrowsNoLeak, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** float64 reference of PyTorch's normalize: x / max(||x||_p over axes, eps). */
function torchNormalizeRef(
    x: ArrayLike<number>, shape: number[], p: number, axes: number[], eps: number): Float64Array {
  const keyOf = (i: number) =>
      coordsOf(i, shape).map((c, d) => (axes.includes(d) ? 0 : c)).join(',');
  const acc = new Map<string, number>();
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    const term = p === Infinity ? a : p === 0 ? (a !== 0 ? 1 : 0) : Math.pow(a, p);
    const k = keyOf(i);
    const prev = acc.get(k) ?? 0;
    acc.set(k, p === Infinity ? Math.max(prev, term) : prev + term);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const s = acc.get(keyOf(i))!;
    const norm = p === Infinity || p === 0 ? s : Math.pow(s, 1 / p);
    out[i] = x[i] / Math.max(norm, eps);
  }
  return out;
}

interface TorchNormalizeArgs {
  p: number;
  dim: number;
  eps: number;
}

describe('torchNormalize (PyTorch contrast op)', () => {
  for (const c of seedCases('TorchNormalize')) {
    it(`reproduces ${c.id}`, () => {
      const a = c.args as unknown as TorchNormalizeArgs;
      const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
      const y = expectNoLeak(() => take(torchNormalize(x, a.p, a.dim, a.eps)));
      expectClose(y, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
      x.dispose();
    });
  }

  it('uses PyTorch defaults (p 2, dim 1, eps 1e-12)', () => {
    const shape = [3, 4];
    const vals = randomValues(sizeOf(shape), rng(7));
    const y = take(torchNormalize(tf.tensor(vals, shape)));
    expectClose(y, torchNormalizeRef(vals, shape, 2, [1], 1e-12), 1e-6, 1e-5);
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
      it(`matches the float64 reference for p ${p}, [${shape}], dim ${dim}`, () => {
        const vals = randomValues(sizeOf(shape), rng(sizeOf(shape) + 31 * axes[0]), -3, 3);
        if (vals.length > 2) {
          vals[1] = 0;  // p = 0 counts non-zero entries
        }
        const x = tf.tensor(vals, shape);
        const y = expectNoLeak(() => take(torchNormalize(x, p, dim, 1e-12)));
        expectClose(y, torchNormalizeRef(vals, shape, p, axes, 1e-12), 1e-6, 2e-5);
        x.dispose();
      });
    }
  }

  it('divides by eps where the norm is smaller', () => {
    const vals = [1e-5, -2e-5, 0, 3e-3, 4e-3, 0];
    const y = take(torchNormalize(tf.tensor2d(vals, [2, 3]), 2, 1, 1e-3));
    // row 0: norm 2.2e-5 < eps -> x / 1e-3; row 1: norm 5e-3 -> x / 5e-3
    expectClose(y, [1e-2, -2e-2, 0, 0.6, 0.8, 0], 1e-7, 1e-5);
  });

  it("differs from MindSpore's l2Normalize given the same number as epsilon (SEMANTICS example)", () => {
    const x = tf.tensor1d([1e-10, 2e-10, 3e-10]);
    expectClose(take(torchNormalize(x, 2, 0, 1e-4)), [1e-6, 2e-6, 3e-6], 0, 1e-5);
    expectClose(take(l2Normalize(x, 0, 1e-4)), [1e-8, 2e-8, 3e-8], 0, 1e-5);
    x.dispose();
  });

  describe('gradient', () => {
    for (const p of [0, 0.5, 1, 1.5, 2, 3, Infinity]) {
      it(`matches float64 central differences for p ${p}`, () => {
        const shape = [2, 3];
        const next = rng(100 + (Number.isFinite(p) ? p * 10 : 99));
        const xv = randomValues(6, next, -2, 2);
        const dyv = randomValues(6, next);
        const x = tf.tensor(xv, shape);
        const dy = tf.tensor(dyv, shape);
        const g = expectNoLeak(() => take(tf.grad((t: tf.Tensor) => torchNormalize(t, p, 1))(x, dy)));
        expectClose(g, centralDiff(v => torchNormalizeRef(v, shape, p, [1], 1e-12), xv, dyv), 1e-4, 1e-3);
        tf.dispose([x, dy]);
      });
    }

    it('splits the p = Infinity gradient evenly among tied largest entries (as PyTorch)', () => {
      const x = tf.tensor2d([[3, -3, 1]]);
      // y = x / n with n = 3; dn/dx = [1/2, -1/2, 0]; dx = dy / n - sum(dy * x) / n^2 * dn/dx
      const dy = tf.onesLike(x);
      const g = take(tf.grad((t: tf.Tensor) => torchNormalize(t, Infinity, 1))(x, dy));
      expectClose(g, [1 / 3 - 1 / 18, 1 / 3 + 1 / 18, 1 / 3], 1e-6, 0);
      tf.dispose([x, dy]);
    });

    it('is dy / eps (finite) for a zero vector, where the clamp holds the norm', () => {
      const x = tf.zeros([1, 3]);
      const dy = tf.tensor2d([[1, -2, 0.5]]);
      const g = take(tf.grad((t: tf.Tensor) => torchNormalize(t, 2, 1, 0.5))(x, dy));
      expectClose(g, [2, -4, 1], 1e-6, 0);
      tf.dispose([x, dy]);
    });
  });

  describe('errors', () => {
    const x = [[1, 2], [3, 4]];
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['a negative p', () => torchNormalize(x, -1), /torchNormalize: 'p' must be a number >= 0 or Infinity, but got -1\./],
      ['a NaN p', () => torchNormalize(x, NaN), /'p' must be a number >= 0 or Infinity, but got NaN/],
      ['a string p', () => torchNormalize(x, '2' as unknown as number), /'p' must be a number >= 0 or Infinity, but got '2'/],
      ['a negative eps', () => torchNormalize(x, 2, 1, -1e-12), /torchNormalize: 'eps' must be a finite number >= 0, but got -1e-12/],
      ['an infinite eps', () => torchNormalize(x, 2, 1, Infinity), /'eps' must be a finite number >= 0, but got Infinity/],
      ['dim out of range', () => torchNormalize(x, 2, 2), /torchNormalize: 'dim' must be an integer in \[-2, 2\), but got 2/],
      ['a repeated dim', () => torchNormalize(x, 2, [0, -2]), /'dim' must be a list of distinct axes/],
      ['a scalar input', () => torchNormalize(3), /torchNormalize: 'x' must be of rank >= 1, but got rank 0/],
      ['an int32 tensor', () => torchNormalize(tf.tensor1d([1, 2], 'int32')), /torchNormalize: 'x' must be a float32 tensor, but got a int32 tensor/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(() => tf.tidy(() => {
          fn();
        }), msg);
      });
    }
  });
});
