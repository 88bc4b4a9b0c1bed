import * as tf from '@tensorflow/tfjs-core';

import {lrn} from '../src';
import {BLOCK_ELEMENTS} from '../src/kernels/cpu/cpu_util';
import {windowTile} from '../src/kernels/cpu/window_sum';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, lrnRef, maxAbsDiff, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

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

  it('tiles positions by the channel count: above 64 channels a tile holds fewer than 1024', () => {
    for (const channels of [1, 3, 64, 65, 300, 5000, 100000]) {
      const tile = windowTile(channels, 1 << 20);
      expect(tile).toBeGreaterThanOrEqual(1);
      expect(tile * channels).toBeLessThanOrEqual(Math.max(BLOCK_ELEMENTS, channels));
    }
    expect(windowTile(64, 1 << 20)).toBe(1024);
    expect(windowTile(300, 1 << 20)).toBe(218);
    expect(windowTile(3, 10)).toBe(10);
    // 1100 channels, 64 positions: tiles of 59 and 5 positions; forward and backward.
    const [C, plane, r] = [1100, 64, 3];
    expect(windowTile(C, plane)).toBe(59);
    const vals = randomValues(C * plane, rng(77), -2, 2);
    const dyVals = randomValues(C * plane, rng(78), -1, 1);
    const x = tf.tensor(vals, [1, C, 8, 8]);
    const dy = tf.tensor(dyVals, [1, C, 8, 8]);
    const y = take(lrn(x, r, 1, 0.01, 0.75));
    const dx = take(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(lrn(t, r, 1, 0.01, 0.75), dy)))(x));
    // float64, MindSpore's LRN and LRNGrad: s = 1 + 0.01 * window sum of x^2, y = x * s^-0.75,
    // dx = dy * s^-0.75 - 2 * 0.01 * 0.75 * x * window sum of dy * x * s^-1.75.
    const windowed = (f: (i: number) => number, c: number, p: number) => {
      let sum = 0;
      for (let k = Math.max(0, c - r); k <= Math.min(C - 1, c + r); k++) {
        sum += f(k * plane + p);
      }
      return sum;
    };
    const s = Float64Array.from(vals, (_, i) =>
        1 + 0.01 * windowed(k => vals[k] ** 2, Math.floor(i / plane), i % plane));
    const yRef = Float64Array.from(vals, (v, i) => v * Math.pow(s[i], -0.75));
    const dxRef = Float64Array.from(vals, (v, i) => dyVals[i] * Math.pow(s[i], -0.75) -
        0.015 * v * windowed(k => dyVals[k] * vals[k] * Math.pow(s[k], -1.75),
                             Math.floor(i / plane), i % plane));
    expect(maxAbsDiff(y, yRef)).toBeLessThan(1e-5);
    expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-5);
    tf.dispose([x, dy]);
  });

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
