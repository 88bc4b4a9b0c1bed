import * as tf from '@tensorflow/tfjs-core';

import {l2Normalize} from '../src';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, l2NormalizeRef, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('l2Normalize', () => {
  for (const c of seedCases('L2Normalize')) {
    it(`reproduces ${c.id}`, () => {
      const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
      const args = c.args as {axis: number, epsilon: number};
      const y = expectNoLeak(() => take(l2Normalize(x, args.axis, args.epsilon)));
      expectClose(y, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
      x.dispose();
    });
  }

  it('clamps the sum of squares, not the norm (tiny input scales by 1/sqrt(eps))', () => {
    const y = take(l2Normalize([1e-10, 2e-10, 3e-10]));
    expectClose(y, [1e-8, 2e-8, 3e-8], 0, 1e-6);
  });

  it('uses axis 0 and epsilon 1e-4 by default', () => {
    const x = [[3, 1], [4, 1]];
    expectClose(take(l2Normalize(x)), [0.6, Math.SQRT1_2, 0.8, Math.SQRT1_2], 1e-6);
  });

  const shapes = [[7], [3, 5], [2, 3, 4], [2, 1, 3, 5], [2, 3, 2, 2, 3]];
  for (const shape of shapes) {
    const rank = shape.length;
    const axisSets: number[][] = [];
    for (let a = 0; a < rank; a++) {
      axisSets.push([a]);
    }
    if (rank >= 2) {
      axisSets.push([0, rank - 1]);  // non-contiguous
      axisSets.push(Array.from({length: rank}, (_, i) => i));  // everything
    }
    if (rank >= 3) {
      axisSets.push([1, 2]);  // contiguous middle
    }
    for (const axes of axisSets) {
      it(`matches the float64 reference for shape [${shape}] over axes [${axes}]`, () => {
        const next = rng(shape.length * 31 + axes.reduce((s, a) => s * 7 + a + 1, 3));
        const vals = randomValues(sizeOf(shape), next, -3, 3);
        const x = tf.tensor(vals, shape);
        const axis = axes.length === 1 ? axes[0] : axes;
        const y = expectNoLeak(() => take(l2Normalize(x, axis, 1e-4)));
        expectClose(y, l2NormalizeRef(vals, shape, axes, 1e-4), 1e-6, 1e-5);
        x.dispose();
      });
    }
  }

  it('accepts negative axes as counted from the end', () => {
    const vals = randomValues(24, rng(5));
    const x = tf.tensor(vals, [2, 3, 4]);
    expectClose(take(l2Normalize(x, -1)), l2NormalizeRef(vals, [2, 3, 4], [2], 1e-4), 1e-6, 1e-5);
    expectClose(
        take(l2Normalize(x, [-3, -1])), l2NormalizeRef(vals, [2, 3, 4], [0, 2], 1e-4), 1e-6, 1e-5);
    expectClose(take(l2Normalize(x, [1])), take(l2Normalize(x, 1)), 0);
    x.dispose();
  });

  it('keeps slices independent: a zero slice stays zero, NaN stays in its slice', () => {
    const y = take(l2Normalize([[0, 0], [NaN, 1], [3, 4]], 1));
    expectClose(y, [0, 0, NaN, NaN, 0.6, 0.8], 1e-6);
  });

  it('handles empty tensors', () => {
    const y = l2Normalize(tf.zeros([0, 3]), 1);
    expect(y.shape).toEqual([0, 3]);
    y.dispose();
  });

  describe('gradient', () => {
    const cases: Array<[number[], number[], number]> = [
      [[5], [0], 1e-4],
      [[3, 4], [0], 1e-4],
      [[3, 4], [1], 1e-4],
      [[2, 3, 4], [0, 2], 1e-4],
      [[2, 3, 2, 2], [1, 2, 3], 1e-4],
      [[2, 3], [1], 10],  // clamp active for every slice: dx = dy / sqrt(eps)
    ];
    for (const [shape, axes, eps] of cases) {
      it(`matches float64 central differences for [${shape}] axes [${axes}] eps ${eps}`, () => {
        const next = rng(sizeOf(shape) + axes.length);
        const xv = randomValues(sizeOf(shape), next, -2, 2);
        const dyv = randomValues(sizeOf(shape), next, -1, 1);
        const x = tf.tensor(xv, shape);
        const dy = tf.tensor(dyv, shape);
        const g = expectNoLeak(() => take(tf.grad((t: tf.Tensor) => l2Normalize(t, axes, eps))(x, dy)));
        const expected = centralDiff(v => l2NormalizeRef(v, shape, axes, eps), xv, dyv);
        expectClose(g, expected, 1e-5, 1e-4);
        tf.dispose([x, dy]);
      });
    }
  });

  describe('errors', () => {
    const x = () => tf.tensor([1, 2, 3]);
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['epsilon = 0', () => l2Normalize([1, 2], 0, 0), /l2Normalize: 'epsilon' must be a finite number > 0, but got 0/],
      ['epsilon < 0', () => l2Normalize([1, 2], 0, -1), /'epsilon' must be .* > 0, but got -1/],
      ['epsilon NaN', () => l2Normalize([1, 2], 0, NaN), /'epsilon' .* but got NaN/],
      ['axis out of range', () => l2Normalize([[1, 2]], 2), /l2Normalize: 'axis' must be an integer in \[-2, 2\), but got 2/],
      ['axis below range', () => l2Normalize([[1, 2]], -3), /'axis' must be an integer in \[-2, 2\), but got -3/],
      ['non-integer axis', () => l2Normalize([1, 2], 0.5), /'axis' .* but got 0.5/],
      ['empty axis list', () => l2Normalize([1, 2], []), /'axis' .* but got \[\]/],
      ['duplicate axes', () => l2Normalize([[1, 2]], [1, -1]), /'axis' must be a list of distinct axes, but got \[1, -1\]/],
      ['rank 0', () => l2Normalize(5 as unknown as number[]), /l2Normalize: 'x' must be of rank >= 1, but got rank 0/],
      ['int32 input', () => l2Normalize(new Int32Array([1, 2])), /'x' must hold float32 numbers, but got int32/],
      ['bool input', () => l2Normalize([true, false] as unknown as number[]), /'x' must hold float32 numbers, but got bool/],
      ['string input', () => l2Normalize('abc' as unknown as number[]), /'x' must be a float32 Tensor/],
      ['ragged array', () => l2Normalize([[1, 2], [3]]), /'x' must be a rectangular \(nested\) array of numbers, but x\[1\] has 1 elements where 2 were expected/],
      ['ragged depth', () => l2Normalize([[1, 2], [3, [4]]] as unknown as number[][]), /'x' is a ragged array/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }

    it('rejects an int32 tensor', () => {
      const t = tf.tensor([1, 2], [2], 'int32');
      expectThrowsNoLeak(() => l2Normalize(t), /'x' must be a float32 tensor, but got a int32 tensor of shape \[2\]/);
      t.dispose();
    });

    it('rejects a disposed tensor', () => {
      const t = x();
      t.dispose();
      expectThrowsNoLeak(() => l2Normalize(t), /l2Normalize: 'x' is a disposed tensor/);
    });
  });
});
