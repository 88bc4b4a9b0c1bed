// SPDX-License-Identifier: Apache-2.0
/**
 * mint.functional (PyTorch's conventions over the package's kernels) on every
 * backend, against float64 references.
 */
import {describeEachBackend} from '../backends/backend_under_test';
import {channelStatsRef, expectClose, groupNormRef, layerNormRef, randomValues, rng, sizeOf} from '../test_util';

const SHAPE = [4, 3, 5];

describeEachBackend('mint.functional', b => {
  const xv = Array.from(randomValues(sizeOf(SHAPE), rng(17), -2, 2));

  it('batchNorm: training (momentum 0.1, unbiased running var) and inference', async () => {
    const out = await b.evaluate(async (h, a) => {
      const {tf, ms} = h;
      const before = tf.memory().numTensors;
      const x = tf.tensor(a.xv, a.shape);
      const train = ms.mint.functional.batchNorm(x, [0.5, 0, -0.5], [1, 2, 0.5], null, null, true);
      const infer = ms.mint.functional.batchNorm(x, [0.5, 0, -0.5], [1, 2, 0.5], [2, 1, 1], [0, 1, 0]);
      const read = async (t: typeof x) => Array.from(await t.data());
      const values = [await read(train.y), await read(train.runningMean), await read(train.runningVar),
                      await read(infer.y)];
      tf.dispose([x, ...Object.values(train), ...Object.values(infer)]);
      return {values, leaked: tf.memory().numTensors - before};
    }, {xv, shape: SHAPE});
    expect(out.leaked).toBe(0);
    const st = channelStatsRef(xv, SHAPE, 1);
    const m = st.count;
    const channel = (i: number) => Math.floor(i / 5) % 3;
    expectClose(out.values[0], xv.map((v, i) =>
        (v - st.mean[channel(i)]) / Math.sqrt(st.variance[channel(i)] + 1e-5)), 1e-5, 1e-4);
    expectClose(out.values[1], [0.5, 0, -0.5].map((r, c) => 0.9 * r + 0.1 * st.mean[c]), 1e-6, 1e-5);
    expectClose(out.values[2], [1, 2, 0.5].map((r, c) => 0.9 * r + 0.1 * st.variance[c] * m / (m - 1)),
        1e-6, 1e-5);
    const [rm, rv, w, bias] = [[0.5, 0, -0.5], [1, 2, 0.5], [2, 1, 1], [0, 1, 0]];
    expectClose(out.values[3], xv.map((v, i) => {
      const c = channel(i);
      return (v - rm[c]) / Math.sqrt(rv[c] + 1e-5) * w[c] + bias[c];
    }), 1e-5, 1e-4);
  });

  it('groupNorm, layerNorm (trailing normalizedShape) and normalize (p-norm over dim 1)', async () => {
    const out = await b.evaluate(async (h, a) => {
      const {tf, ms} = h;
      const before = tf.memory().numTensors;
      const x = tf.tensor(a.xv, a.shape);
      const F = ms.mint.functional;
      const ys = [F.groupNorm(x, 3, [1, 2, 0.5], [0, 1, -1]), F.layerNorm(x, [3, 5]),
                  F.layerNorm(x, 5, null, null, 1e-3), F.normalize(x), F.normalize(x, 3, 2)];
      const values: number[][] = [];
      for (const y of ys) {
        values.push(Array.from(await y.data()));
      }
      tf.dispose([x, ...ys]);
      return {values, leaked: tf.memory().numTensors - before};
    }, {xv, shape: SHAPE});
    expect(out.leaked).toBe(0);
    expectClose(out.values[0], groupNormRef(xv, SHAPE, 3, [1, 2, 0.5], [0, 1, -1], 1e-5), 1e-5, 1e-4);
    const ones = (n: number) => new Array(n).fill(1);
    const zeros = (n: number) => new Array(n).fill(0);
    expectClose(out.values[1], layerNormRef(xv, SHAPE, 1, 1, ones(15), zeros(15), 1e-5).y, 1e-5, 1e-4);
    expectClose(out.values[2], layerNormRef(xv, SHAPE, 2, 2, ones(5), zeros(5), 1e-3).y, 1e-5, 1e-4);
    // x / max(||x||_p over the axis, 1e-12), float64.
    const pNormalize = (p: number, axis: number) => xv.map((v, i) => {
      const [n, c, l] = [Math.floor(i / 15), Math.floor(i / 5) % 3, i % 5];
      let s = 0;
      for (let k = 0; k < SHAPE[axis]; k++) {
        const j = axis === 1 ? n * 15 + k * 5 + l : n * 15 + c * 5 + k;
        s += Math.abs(xv[j]) ** p;
      }
      return v / Math.max(s ** (1 / p), 1e-12);
    });
    expectClose(out.values[3], pNormalize(2, 1), 1e-6, 1e-4);
    expectClose(out.values[4], pNormalize(3, 2), 1e-6, 1e-4);
  });
});
