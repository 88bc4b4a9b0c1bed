// SPDX-License-Identifier: Apache-2.0
/**
 * Gradients through the public ops, with losses that reach every output
 * (LayerNorm's mean and variance, BatchNorm's running statistics), match the
 * same gradients on the cpu backend (whose kernels the op specs check against
 * float64 central differences).
 */
import {expectClose, maxAbsDiff, randomValues, rng, sizeOf} from '../test_util';

import {BackendUnderTest, describeEachBackend} from '../backends/backend_under_test';

/** Each loss: the shapes of its tensors and a scalar built from them with the package's ops. */
const LOSSES: Array<{name: string, shapes: number[][]}> = [
  {name: 'l2Normalize', shapes: [[2, 3, 4]]},
  {name: 'lrn', shapes: [[1, 4, 2, 2]]},
  {name: 'groupNorm', shapes: [[2, 4, 3], [4], [4]]},
  {name: 'batchNorm (training)', shapes: [[4, 3, 2], [3], [3]]},
  {name: 'batchNorm (inference, NHWC)', shapes: [[2, 2, 3], [3], [3]]},
  {name: 'layerNorm (y, mean, variance)', shapes: [[2, 3, 4], [4], [4]]},
  {name: 'instanceNorm', shapes: [[2, 3, 4], [3], [3]]},
  {name: 'rmsNorm', shapes: [[2, 3, 4], [3, 4]]},
];

/** tf.grads of the named loss on `backend`; the tensor count must not move. */
function gradsOn(b: BackendUnderTest, backend: string, index: number, values: number[][]):
    Promise<{grads: number[][], leaked: number}> {
  return b.evaluate(async (h, a) => {
    const {tf, ms} = h;
    await tf.setBackend(a.backend);
    type T = ReturnType<typeof tf.tensor>;
    const losses: Array<(...t: T[]) => T> = [
      x => tf.sum(tf.mul(ms.l2Normalize(x, 1), x)),
      x => tf.sum(tf.mul(ms.lrn(x, 1, 1, 0.5, 0.75), x)),
      (x, g, b) => tf.sum(tf.square(ms.groupNorm(x, 2, g, b))),
      (x, g, b) => {
        const {y, runningMean, runningVar} =
            ms.batchNorm(x, tf.zeros([3]), tf.ones([3]), g, b, {training: true});
        return tf.add(tf.sum(tf.sin(y)), tf.sum(tf.mul(runningMean, runningVar)));
      },
      (x, g, b) => tf.sum(tf.square(
          ms.batchNorm(x, tf.fill([3], 0.5), tf.fill([3], 2), g, b, {dataFormat: 'NHWC'}).y)),
      (x, g, b) => {
        const {y, mean, variance} = ms.layerNorm(x, g, b, {beginNormAxis: 1, beginParamsAxis: 2});
        return tf.add(tf.sum(tf.sin(y)), tf.sum(tf.mul(mean, variance)));
      },
      (x, g, b) => tf.sum(tf.sin(ms.instanceNorm(x, g, b))),
      (x, g) => tf.sum(tf.sin(ms.rmsNorm(x, g).y)),
    ];
    const before = tf.memory().numTensors;
    const args = a.values.map((v, k) => tf.tensor(v, a.shapes[k]));
    const gs = tf.grads(losses[a.index] as (...t: T[]) => ReturnType<typeof tf.scalar>)(args);
    const grads: number[][] = [];
    for (const g of gs) {
      grads.push(Array.from(await g.data()));
    }
    tf.dispose([...gs, ...args]);
    return {grads, leaked: tf.memory().numTensors - before};
  }, {backend, index, values, shapes: LOSSES[index].shapes});
}

describeEachBackend('gradients through the ops', b => {
  LOSSES.forEach(({name, shapes}, i) => {
    it(`${name}: match the cpu backend's, no leak`, async () => {
      const next = rng(500 + i);
      const values = shapes.map(s => Array.from(randomValues(sizeOf(s), next, -2, 2)));
      const cpu = await gradsOn(b, 'cpu', i, values);
      const ours = await gradsOn(b, b.backend, i, values);
      expect([cpu.leaked, ours.leaked]).toEqual([0, 0]);
      // Node backends agree with cpu to 1e-5; on a GPU the losses' own tfjs
      // ops (sin, square, sums in float32 shaders) add up to ~2e-4.
      const tol = b.where === 'node' ? 1e-5 : 1e-3;
      cpu.grads.forEach((g, k) => {
        expect(maxAbsDiff(g, new Array(g.length).fill(0))).toBeGreaterThan(0);
        expectClose(ours.grads[k], g, tol, tol);
      });
    });
  });
}, b => b.backend !== 'cpu');
