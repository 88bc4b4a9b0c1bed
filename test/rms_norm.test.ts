import * as tf from '@tensorflow/tfjs-core';

import {MsRMSNormGrad, rmsNorm} from '../src';
import {centralDiff, expectClose, expectNoLeak, randomValues, rmsNormRef, rng, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomCase(shape: number[], gammaRank: number, seed: number) {
  const next = rng(seed);
  const gammaShape = shape.slice(shape.length - gammaRank);
  return {
    x: randomValues(sizeOf(shape), next, -2, 2),
    gamma: randomValues(sizeOf(gammaShape), next, 0.5, 1.5),
    gammaShape,
  };
}

describe('rmsNorm', () => {
  it('reproduces MindSpore\'s documented example (ops.rms_norm, x = [[1, 2, 3], [1, 2, 3]])', () => {
    const {y, rstd} = rmsNorm([[1, 2, 3], [1, 2, 3]], [1, 1, 1]);
    // mean(x^2) = 14 / 3, rstd = 1 / sqrt(14 / 3 + 1e-6); MindSpore prints 0.46290997.
    expect(y.shape).toEqual([2, 3]);
    expect(rstd.shape).toEqual([2, 1]);
    expect(rstd.dtype).toBe('float32');
    const r = 1 / Math.sqrt(14 / 3 + 1e-6);
    expectClose(take(y), [0.46290997, 0.92581993, 1.3887299, 0.46290997, 0.92581993, 1.3887299],
        1e-6);
    expectClose(take(rstd), [r, r], 1e-7);
  });

  it('puts epsilon inside the square root (default 1e-6)', () => {
    // mean(x^2) = 1e-6: rstd = 1 / sqrt(2e-6) with the default, 1 / sqrt(1e-6 + 0.5) with 0.5.
    const {y, rstd} = rmsNorm([[1e-3, -1e-3]], [1, 1]);
    expectClose(take(rstd), [1 / Math.sqrt(2e-6)], 1e-2, 1e-6);
    take(y);
    const big = rmsNorm([[1e-3, -1e-3]], [1, 1], 0.5);
    expectClose(take(big.rstd), [1 / Math.sqrt(0.5 + 1e-6)], 1e-6);
    take(big.y);
  });

  describe('matches the float64 reference over the last gamma.rank axes', () => {
    const cases: Array<[number[], number]> = [
      [[5], 1], [[3, 7], 1], [[2, 3, 4], 1], [[2, 3, 4], 2], [[2, 3, 4], 3], [[2, 2, 3, 5], 2],
      [[2, 3, 0], 1],
    ];
    for (const [shape, gammaRank] of cases) {
      it(`x [${shape}], gamma rank ${gammaRank}`, () => {
        const c = randomCase(shape, gammaRank, sizeOf(shape) + gammaRank);
        const x = tf.tensor(c.x, shape);
        const gamma = tf.tensor(c.gamma, c.gammaShape);
        const out = expectNoLeak(() => {
          const {y, rstd} = rmsNorm(x, gamma, 1e-5);
          return {yShape: y.shape, rstdShape: rstd.shape, y: take(y), rstd: take(rstd)};
        });
        tf.dispose([x, gamma]);
        const ref = rmsNormRef(c.x, c.gamma, 1e-5);
        expect(out.yShape).toEqual(shape);
        expect(out.rstdShape).toEqual(shape.map((d, i) => (i < shape.length - gammaRank ? d : 1)));
        expectClose(out.y, ref.y, 1e-6, 1e-5);
        if (sizeOf(shape) > 0) {
          expectClose(out.rstd, ref.rstd, 1e-6, 1e-5);
        }
      });
    }
  });

  it('gives NaN rstd for empty rows', () => {
    const {y, rstd} = rmsNorm(tf.zeros([3, 0]), tf.zeros([0]));
    expect(take(y)).toEqual([]);
    expect(take(rstd).every(Number.isNaN)).toBe(true);
  });

  describe('gradient (MindSpore RmsNormGrad: from y only)', () => {
    const cases: Array<[number[], number]> = [[[3, 5], 1], [[2, 3, 4], 2], [[4], 1]];
    for (const [shape, gammaRank] of cases) {
      it(`dx and dgamma match float64 central differences, x [${shape}], gamma rank ${gammaRank}`,
         () => {
           const c = randomCase(shape, gammaRank, 7 * sizeOf(shape) + gammaRank);
           const dyv = randomValues(c.x.length, rng(gammaRank + 3), -1, 1);
           const x = tf.tensor(c.x, shape);
           const gamma = tf.tensor(c.gamma, c.gammaShape);
           const dy = tf.tensor(dyv, shape);
           const [dx, dgamma] = expectNoLeak(() => {
             const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => rmsNorm(a, b).y);
             return g([x, gamma], dy).map(take);
           });
           tf.dispose([x, gamma, dy]);
           expectClose(dx, centralDiff(v => rmsNormRef(v, c.gamma, 1e-6).y, c.x, dyv), 1e-4, 1e-3);
           expectClose(dgamma, centralDiff(v => rmsNormRef(c.x, v, 1e-6).y, c.gamma, dyv), 1e-4,
               1e-3);
         });
    }

    it('drops the gradient reaching rstd (dx of sum(rstd) is zero)', () => {
      const x = tf.tensor([[1, 2, 3], [4, -1, 0.5]]);
      const gamma = tf.tensor([1, 2, 3]);
      const [dx, dgamma] = expectNoLeak(() =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(rmsNorm(a, b).rstd))([x, gamma])
              .map(take));
      tf.dispose([x, gamma]);
      expect(dx).toEqual([0, 0, 0, 0, 0, 0]);
      expect(dgamma).toEqual([0, 0, 0]);
    });

    it('the backward kernel uses the rstd it is given (not one recomputed from x)', () => {
      // With rstd = 1 and gamma = 1, dx = dy - x * mean(dy * x): [1, 0] and dy = [1, 0]
      // give 1 - 1 * 0.5 = 0.5 and 0 - 0 = 0; dgamma = dy * x * rstd = [1, 0].
      const inputs = {
        dy: tf.tensor([[1, 0]]), x: tf.tensor([[1, 0]]), rstd: tf.tensor([[1]]),
        gamma: tf.tensor([1, 1]),
      };
      const [dx, dgamma] = tf.engine().runKernel(MsRMSNormGrad, inputs, {}) as tf.Tensor[];
      expectClose(take(dx), [0.5, 0], 1e-7);
      expectClose(take(dgamma), [1, 0], 1e-7);
      tf.dispose(Object.values(inputs));
    });
  });
});
