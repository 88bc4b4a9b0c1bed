// SPDX-License-Identifier: Apache-2.0
/** The CPU LRN kernels' channel-window tiling (src/kernels/cpu/window_sum.ts). */
import * as tf from '@tensorflow/tfjs-core';

import {lrn} from '../../src';
import {BLOCK_ELEMENTS} from '../../src/kernels/cpu/cpu_util';
import {windowTile} from '../../src/kernels/cpu/window_sum';
import {maxAbsDiff, randomValues, rng, take} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('cpu LRN window tiles', () => {
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
});
