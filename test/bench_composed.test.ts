// SPDX-License-Identifier: Apache-2.0
/**
 * The benchmarks compare each kernel with the same math composed from tf ops
 * (bench/composed.ts). Each composed baseline must compute what the package's
 * op computes, or the comparison measures something else: checked here on
 * small inputs, edge cases included (a radius beyond C, one value per
 * channel, LayerNorm's two begin axes).
 */
import * as tf from '@tensorflow/tfjs-core';

import * as composed from '../bench/composed';
import {batchNorm, groupNorm, instanceNorm, l2Normalize, layerNorm, lrn, rmsNorm} from '../src';
import {expectClose, randomValues, rng, sizeOf} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const t = (shape: number[], seed: number, lo = -2, hi = 2) =>
    tf.tensor(randomValues(sizeOf(shape), rng(seed), lo, hi), shape);
const values = (x: tf.Tensor) => Array.from(x.dataSync());

/** Asserts that each pair (composed, package) holds the same values. */
function expectSame(pairs: Array<[tf.Tensor, tf.Tensor]>): void {
  for (const [ours, theirs] of pairs) {
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(values(ours), values(theirs), 1e-5, 1e-4);
  }
}

/** One check per export of bench/composed.ts. */
const checks: Record<keyof typeof composed, () => void> = {
  l2Normalize: () => {
    const x = t([2, 3, 4], 1);
    for (const axis of [0, 1, 2]) {
      expectSame([[composed.l2Normalize(x, axis, 1e-4), l2Normalize(x, axis, 1e-4)]]);
    }
    const tiny = t([2, 3], 2, -1e-4, 1e-4);
    expectSame([[composed.l2Normalize(tiny, 1, 1e-4), l2Normalize(tiny, 1, 1e-4)]]);
  },
  lrn: () => {
    const x = t([2, 5, 2, 3], 3) as tf.Tensor4D;
    for (const r of [0, 1, 2, 4, 50]) {
      expectSame([[composed.lrn(x, r, 1, 0.5, 0.75), lrn(x, r, 1, 0.5, 0.75)]]);
    }
  },
  groupNorm: () => {
    const x = t([2, 6, 3], 4);
    const gamma = t([6], 5);
    const beta = t([6], 6);
    for (const groups of [1, 2, 3, 6]) {
      expectSame([[composed.groupNorm(x, groups, gamma, beta, 1e-5),
                   groupNorm(x, groups, gamma, beta, 1e-5)]]);
    }
  },
  batchNormInference: () => {
    const x = t([2, 3, 2, 2], 7);
    const [mean, variance, gamma, beta] = [t([3], 8), t([3], 9, 0.5, 2), t([3], 10), t([3], 11)];
    expectSame([[composed.batchNormInference(x, mean, variance, gamma, beta, 1e-5, 1),
                 batchNorm(x, mean, variance, gamma, beta, {eps: 1e-5}).y]]);
    const nhwc = t([2, 2, 2, 3], 28);
    expectSame([[composed.batchNormInference(nhwc, mean, variance, gamma, beta, 1e-5, 3),
                 batchNorm(nhwc, mean, variance, gamma, beta, {eps: 1e-5, dataFormat: 'NHWC'}).y]]);
  },
  updateRunning: () => {
    const [rm, rv, mean, variance] = [t([3], 12), t([3], 13, 0.5, 2), t([3], 14), t([3], 15, 0, 1)];
    const update = (count: number) => composed.updateRunning(rm, rv, mean, variance, 0.1, count);
    // float64: (1 - m) * running + m * batch, the variance unbiased (count 4: * 4/3).
    const blend = (a: tf.Tensor, b: tf.Tensor, f = 1) =>
        values(a).map((v, i) => 0.9 * v + 0.1 * values(b)[i] * f);
    expectClose(values(update(4).runningMean), blend(rm, mean), 1e-6, 1e-6);
    expectClose(values(update(4).runningVar), blend(rv, variance, 4 / 3), 1e-6, 1e-6);
    // One value per channel: the running variance stays (0/0), as the kernels leave it.
    expect(values(update(1).runningVar)).toEqual(values(rv));
    expect(values(update(1).runningVar).every(Number.isFinite)).toBe(true);
    expect(values(update(0).runningMean)).toEqual(values(rm));
  },
  batchNormTraining: () => {
    const [rm, rv, gamma, beta] = [t([3], 16), t([3], 17, 0.5, 2), t([3], 18), t([3], 19)];
    // Four values per channel, and one (batch 1, no spatial dims).
    for (const shape of [[2, 3, 2], [1, 3]]) {
      const x = t(shape, 20 + shape.length);
      const c = composed.batchNormTraining(x, rm, rv, gamma, beta, 1e-5, 0.1, 1);
      const o = batchNorm(x, rm, rv, gamma, beta, {training: true, momentum: 0.1, eps: 1e-5});
      expectSame([[c.y, o.y], [c.runningMean, o.runningMean], [c.runningVar, o.runningVar]]);
    }
  },
  layerNorm: () => {
    const x = t([2, 3, 4], 22);
    // [beginNormAxis, beginParamsAxis, gamma/beta shape]
    const cases: Array<[number, number, number[]]> =
        [[-1, -1, [4]], [1, 1, [3, 4]], [1, 2, [4]], [2, -1, [4]], [0, 1, [3, 4]]];
    for (const [bna, bpa, shape] of cases) {
      const gamma = t(shape, 23);
      const beta = t(shape, 24);
      const c = composed.layerNorm(x, gamma, beta, bna, bpa, 1e-7);
      const o = layerNorm(x, gamma, beta, {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: 1e-7});
      expectSame([[c.y, o.y], [c.mean, o.mean], [c.variance, o.variance]]);
    }
  },
  instanceNorm: () => {
    const x = t([2, 3, 2, 2], 25);
    const [gamma, beta] = [t([3], 26), t([3], 27)];
    expectSame([[composed.instanceNorm(x, gamma, beta, 1e-5), instanceNorm(x, gamma, beta, 1e-5)]]);
  },
  rmsNorm: () => {
    const x = t([2, 3, 4], 29);
    const gamma = t([4], 30);
    const c = composed.rmsNorm(x, gamma, 1e-6);
    const o = rmsNorm(x, gamma, 1e-6);
    expectSame([[c.y, o.y], [c.rstd, o.rstd]]);
  },
};

describe('bench/composed.ts baselines compute what the package computes', () => {
  it('has a check for every composed baseline', () => {
    expect(Object.keys(checks).sort()).toEqual(Object.keys(composed).sort());
  });
  for (const [name, check] of Object.entries(checks)) {
    it(`composed.${name} matches the package's op`, () => tf.tidy(check));
  }
});
