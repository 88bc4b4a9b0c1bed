import * as tf from '@tensorflow/tfjs-core';

import {lrn} from '../src';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, lrnRef, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface LrnArgs {
  depth_radius: number;
  bias: number;
  alpha: number;
  beta: number;
  norm_region: 'ACROSS_CHANNELS';
}

describe('lrn', () => {
  for (const c of seedCases('LRN')) {
    it(`reproduces ${c.id}`, () => {
      const a = c.args as unknown as LrnArgs;
      const x = tf.tensor(seedValues(c, 'input'), seedShape(c));
      const y = expectNoLeak(
          () => take(lrn(x, a.depth_radius, a.bias, a.alpha, a.beta, a.norm_region)));
      expectClose(y, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
      x.dispose();
    });
  }

  it('uses MindSpore defaults (depthRadius 5, bias 1, alpha 1, beta 0.5)', () => {
    const shape = [1, 7, 2, 1];
    const vals = randomValues(sizeOf(shape), rng(1));
    const x = tf.tensor(vals, shape);
    const y = expectNoLeak(() => take(lrn(x)));
    expectClose(y, lrnRef(vals, shape, 5, 1, 1, 0.5), 1e-6, 1e-5);
    x.dispose();
  });

  const shapes: number[][] = [[1, 1, 1, 1], [2, 3, 4, 5], [3, 8, 3, 3], [1, 13, 1, 7], [2, 5, 0, 3]];
  const radii = [0, 1, 2, 5, 12, 40];
  for (const shape of shapes) {
    for (const r of radii) {
      it(`matches the float64 reference for [${shape}] depthRadius ${r}`, () => {
        const next = rng(sizeOf(shape) * 13 + r);
        const vals = randomValues(sizeOf(shape), next, -4, 4);
        const bias = 0.5 + next();
        const alpha = 0.01 + next();
        const beta = 0.25 + next();
        const x = tf.tensor(vals, shape);
        const y = expectNoLeak(() => take(lrn(x, r, bias, alpha, beta)));
        expectClose(y, lrnRef(vals, shape, r, bias, alpha, beta), 1e-6, 1e-5);
        x.dispose();
      });
    }
  }

  it('keeps its sliding window exact when a huge value leaves a window of small ones', () => {
    const vals = [3e4, 1e-3, 2e-3, 1e-3, 3e-3, 2e-3, 1e-3, 2e-3];
    const shape = [1, vals.length, 1, 1];
    const y = take(lrn(tf.tensor(vals, shape), 1, 1e-6, 1, 0.5));
    expectClose(y, lrnRef(vals, shape, 1, 1e-6, 1, 0.5), 0, 1e-5);
  });

  describe('gradient', () => {
    const cases: Array<[number[], number, number, number, number]> = [
      [[1, 4, 1, 1], 1, 1, 1e-1, 0.75],
      [[2, 5, 2, 3], 2, 2, 0.5, 0.5],
      [[1, 6, 2, 2], 0, 1, 1, 1.3],
      [[2, 3, 3, 1], 5, 1.5, 0.2, 0.6],
    ];
    for (const [shape, r, bias, alpha, beta] of cases) {
      it(`matches float64 central differences for [${shape}] r=${r} beta=${beta}`, () => {
        const next = rng(sizeOf(shape) + r);
        const xv = randomValues(sizeOf(shape), next, -2, 2);
        const dyv = randomValues(sizeOf(shape), next, -1, 1);
        const x = tf.tensor(xv, shape);
        const dy = tf.tensor(dyv, shape);
        const g = expectNoLeak(
            () => take(tf.grad((t: tf.Tensor) => lrn(t, r, bias, alpha, beta))(x, dy)));
        const expected = centralDiff(v => lrnRef(v, shape, r, bias, alpha, beta), xv, dyv);
        expectClose(g, expected, 1e-5, 1e-4);
        tf.dispose([x, dy]);
      });
    }
  });

  describe('errors', () => {
    const x4 = [[[[1]], [[2]]]];
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['negative depthRadius', () => lrn(x4, -1), /lrn: 'depthRadius' must be an integer >= 0, but got -1/],
      ['fractional depthRadius', () => lrn(x4, 1.5), /'depthRadius' must be an integer >= 0, but got 1.5/],
      ['NaN bias', () => lrn(x4, 1, NaN), /lrn: 'bias' must be a finite number, but got NaN/],
      ['infinite alpha', () => lrn(x4, 1, 1, Infinity), /'alpha' must be a finite number, but got Infinity/],
      ['string beta', () => lrn(x4, 1, 1, 1, '0.5' as unknown as number), /'beta' must be a finite number, but got '0.5'/],
      ['unknown normRegion', () => lrn(x4, 1, 1, 1, 0.5, 'WITHIN_CHANNEL' as 'ACROSS_CHANNELS'), /lrn: 'normRegion' must be one of 'ACROSS_CHANNELS', but got 'WITHIN_CHANNEL'/],
      ['rank 3 input', () => lrn([[[1, 2]]] as unknown as number[][][][]), /lrn: 'x' must be of rank 4 \(NCHW\), but got rank 3 \(shape \[1,1,2\]\)/],
      ['rank 5 input', () => lrn([[[[[1]]]]] as unknown as number[][][][]), /'x' must be of rank 4 \(NCHW\), but got rank 5/],
      ['bool input', () => lrn([[[[true]]]] as unknown as number[][][][]), /lrn: 'x' must hold float32 numbers, but got bool/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }
  });
});
