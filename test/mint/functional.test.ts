// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';

import {mint} from '../../src';
import {affineInputs, channelStatsRef, expectClose, expectNoLeak, groupNormRef, layerNormRef, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const F = mint.functional;

describe('mint.functional.batchNorm', () => {
  it('in training normalizes with the batch and returns running stats moved by momentum 0.1', () => {
    const shape = [4, 3, 2];
    const xv = randomValues(sizeOf(shape), rng(1), -2, 2);
    const x = tf.tensor(xv, shape);
    const rm = tf.tensor([0.5, -0.5, 0]);
    const rv = tf.tensor([1, 2, 0.5]);
    const out = expectNoLeak(() => {
      const {y, runningMean, runningVar} = F.batchNorm(x, rm, rv, null, null, true);
      return {y: take(y), mean: take(runningMean), variance: take(runningVar)};
    });
    const st = channelStatsRef(xv, shape, 1);
    const m = st.count;
    const yRef = xv.map((v, i) => {
      const c = Math.floor(i / 2) % 3;
      return (v - st.mean[c]) / Math.sqrt(st.variance[c] + 1e-5);
    });
    expectClose(out.y, yRef, 1e-5, 1e-5);
    expectClose(out.mean, [0.5, -0.5, 0].map((r, c) => 0.9 * r + 0.1 * st.mean[c]), 1e-6);
    expectClose(out.variance,
        [1, 2, 0.5].map((r, c) => 0.9 * r + 0.1 * st.variance[c] * m / (m - 1)), 1e-6);
    tf.dispose([x, rm, rv]);
  });

  it('by default (training false) normalizes with the running stats and returns them unchanged', () => {
    const {y, runningMean, runningVar} =
        F.batchNorm([[1, 2], [3, 4]], [1, 2], [4, 1], [2, 1], [0, 1]);
    expectClose(take(y), [0, 1, 2 * 2 / Math.sqrt(4 + 1e-5), 1 + 2 / Math.sqrt(1 + 1e-5)], 1e-6);
    expect(take(runningMean)).toEqual([1, 2]);
    expect(take(runningVar)).toEqual([4, 1]);
  });

  it('reproduces the seed BatchNorm1d training case (affine off, PyTorch momentum 0.1)', () => {
    const [c] = seedCases('BatchNorm1d');
    const {y, runningMean, runningVar} =
        F.batchNorm(tf.tensor(seedValues(c, 'input'), seedShape(c)), [0, 0, 0, 0], [1, 1, 1, 1],
                    undefined, undefined, true, 0.1);
    expectClose(take(y), seedValues(c, 'expected'), c.atol ?? 1e-5);
    tf.dispose([runningMean, runningVar]);
  });
});

describe('mint.functional.groupNorm', () => {
  it('matches the float64 GroupNorm (weight/bias optional, eps 1e-5)', () => {
    const shape = [2, 4, 3];
    const {x: xv, gamma: gv, beta: bv} = affineInputs(shape, 4, 2);
    expectClose(take(F.groupNorm(tf.tensor(xv, shape), 2, gv, bv)),
        groupNormRef(xv, shape, 2, gv, bv, 1e-5), 1e-5, 1e-5);
    expectClose(take(F.groupNorm(tf.tensor(xv, shape), 4)),
        groupNormRef(xv, shape, 4, [1, 1, 1, 1], [0, 0, 0, 0], 1e-5), 1e-5, 1e-5);
  });
});

describe('mint.functional.layerNorm', () => {
  it('normalizes the trailing normalizedShape dims (PyTorch\'s layer_norm, eps 1e-5)', () => {
    const shape = [2, 3, 4];
    const {x: xv, gamma: gv, beta: bv} = affineInputs(shape, 12, 3);
    const x = tf.tensor(xv, shape);
    const w = tf.tensor(gv, [3, 4]);
    const y = expectNoLeak(() => take(F.layerNorm(x, [3, 4], w, null)));
    expectClose(y, layerNormRef(xv, shape, 1, 1, gv, new Array(12).fill(0), 1e-5).y, 1e-5, 1e-5);
    const y4 = take(F.layerNorm(x, 4, null, bv.slice(0, 4), 1e-3));
    expectClose(y4, layerNormRef(xv, shape, 2, 2, [1, 1, 1, 1], bv.slice(0, 4), 1e-3).y, 1e-5,
        1e-5);
    tf.dispose([x, w]);
  });

  it('uses eps 1e-5 by default (nn.LayerNorm: 1e-7)', () => {
    // var = 2.5e-7: y = 5e-4 / sqrt(2.5e-7 + 1e-5) = 0.1543...
    const y = take(F.layerNorm([[0, 1e-3]], 2));
    const e = 5e-4 / Math.sqrt(Math.fround(2.5e-7) + 1e-5);
    expectClose(y, [-e, e], 1e-5);
  });
});

describe('mint.functional.normalize', () => {
  it('is PyTorch\'s normalize (dim 1 by default), on the seed cases', () => {
    for (const c of seedCases('TorchNormalize')) {
      const {p, dim, eps} = c.args as {p: number, dim: number, eps: number};
      expectClose(take(F.normalize(seedValues(c, 'input'), p, dim, eps)),
          seedValues(c, 'expected'), c.atol ?? 1e-6, c.rtol ?? 1e-5);
    }
    // dim 1 by default: each row of [[3, 4], [0, 5]] has norm 5.
    expectClose(take(F.normalize([[3, 4], [0, 5]])), [0.6, 0.8, 0, 1], 1e-7);
  });

  it('clamps the norm at eps 1e-12 (x / 1e-12 for a tiny row)', () => {
    expectClose(take(F.normalize([[1e-13, 0]])), [0.1, 0], 1e-7);
  });
});
