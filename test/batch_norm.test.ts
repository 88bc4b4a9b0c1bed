import * as tf from '@tensorflow/tfjs-core';

import {batchNorm, BatchNormOptions} from '../src';
import {batchNormRef, BatchNormRefArgs, centralDiff, channelStatsRef, expectClose, expectNoLeak, expectThrowsNoLeak, randomValues, rng, runningStatsRef, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random float32 data for one case: x plus per-channel parameters. */
function makeCase(shape: number[], axis: number, seed: number) {
  const next = rng(seed);
  const c = shape[axis];
  return {
    x: randomValues(sizeOf(shape), next, -3, 3),
    runningMean: randomValues(c, next, -1, 1),
    runningVar: randomValues(c, next, 0.5, 2),
    gamma: randomValues(c, next, 0.5, 2),
    beta: randomValues(c, next, -1, 1),
  };
}

describe('batchNorm', () => {
  for (const c of seedCases('BatchNorm1d')) {
    it(`reproduces ${c.id} (layer momentum 0.9 == op momentum 0.1)`, () => {
      const args = c.args as {num_features: number, momentum: number};
      const shape = seedShape(c);
      const xv = seedValues(c, 'input');
      const x = tf.tensor(xv, shape);
      const mean = tf.zeros([args.num_features]);  // moving_mean_init 'zeros'
      const variance = tf.ones([args.num_features]);  // moving_var_init 'ones'
      const out = expectNoLeak(() => {
        // affine=False: gamma = 1, beta = 0; train mode.
        const r = batchNorm(x, mean, variance, null, null,
                            {training: c.mode === 'train', momentum: 1 - args.momentum});
        return {y: take(r.y), mean: take(r.runningMean), variance: take(r.runningVar)};
      });
      expectClose(out.y, seedValues(c, 'expected'), c.atol ?? 1e-5, c.rtol ?? 0);
      // MindSpore's default moving-variance update uses the unbiased batch variance.
      const ref = runningStatsRef([xv], shape, 1, [0, 0, 0, 0], [1, 1, 1, 1], 0.1, 'unbiased');
      expectClose(out.mean, ref.mean, 1e-6);
      expectClose(out.variance, ref.variance, 1e-6);
      expectClose(out.mean, [0.06, 0.045, 0.055, 0.075], 1e-6);
      expectClose(out.variance, [0.902, 0.9005, 0.9005, 0.9045], 1e-6);
      tf.dispose([x, mean, variance]);
    });
  }

  const shapes: Array<[number[], 'NCHW'|'NHWC']> = [
    [[5, 3], 'NCHW'],           // (N, C)
    [[4, 3, 6], 'NCHW'],        // (N, C, L)
    [[2, 3, 4, 5], 'NCHW'],     // (N, C, H, W)
    [[2, 3, 2, 3, 2], 'NCHW'],  // (N, C, D, H, W)
    [[2, 4, 5, 3], 'NHWC'],
    [[6, 4], 'NHWC'],           // rank 2: channel axis last == axis 1
    [[2, 2, 3, 2, 4], 'NHWC'],
  ];
  for (const training of [false, true]) {
    for (const [shape, dataFormat] of shapes) {
      it(`matches the float64 reference in ${training ? 'training' : 'inference'} for ` +
         `[${shape}] ${dataFormat}`, () => {
        const axis = dataFormat === 'NHWC' ? shape.length - 1 : 1;
        const d = makeCase(shape, axis, sizeOf(shape) * 17 + (training ? 1 : 0));
        const ts = [d.x, d.runningMean, d.runningVar, d.gamma, d.beta].map(
            (v, i) => tf.tensor(v, i === 0 ? shape : [shape[axis]]));
        const [x, mean, variance, gamma, beta] = ts;
        const out = expectNoLeak(() => {
          const r = batchNorm(x, mean, variance, gamma, beta,
                              {training, momentum: 0.25, eps: 1e-3, dataFormat});
          return [r.y, r.runningMean, r.runningVar].map(take);
        });
        const ref: BatchNormRefArgs = {...d, axis, training, eps: 1e-3};
        expectClose(out[0], batchNormRef(d.x, shape, ref), 1e-5);
        const stats = training ?
            runningStatsRef([d.x], shape, axis, d.runningMean, d.runningVar, 0.25, 'unbiased') :
            {mean: d.runningMean, variance: d.runningVar};
        expectClose(out[1], stats.mean, 1e-6);
        expectClose(out[2], stats.variance, 1e-6);
        tf.dispose(ts);
      });
    }
  }

  it('defaults to inference, momentum 0.1, eps 1e-5, NCHW, unbiased update', () => {
    const shape = [4, 3, 2];
    const d = makeCase(shape, 1, 5);
    const x = tf.tensor(d.x, shape);
    const r = batchNorm(x, d.runningMean, d.runningVar);
    const base = {...d, axis: 1, eps: 1e-5, gamma: [1, 1, 1], beta: [0, 0, 0]};
    expectClose(take(r.y), batchNormRef(d.x, shape, {...base, training: false}), 1e-5);
    tf.dispose([r.runningMean, r.runningVar]);
    const t = batchNorm(x, d.runningMean, d.runningVar, null, null, {training: true});
    expectClose(take(t.y), batchNormRef(d.x, shape, {...base, training: true}), 1e-5);
    const stats = runningStatsRef([d.x], shape, 1, d.runningMean, d.runningVar, 0.1, 'unbiased');
    expectClose(take(t.runningMean), stats.mean, 1e-6);
    expectClose(take(t.runningVar), stats.variance, 1e-6);
    x.dispose();
  });

  it('leaves the running statistics unchanged in inference and returns owned copies', () => {
    const mean = tf.tensor([0.5, -1]);
    const variance = tf.tensor([2, 0.25]);
    const r = batchNorm(tf.tensor([[1, 2], [3, 4]]), mean, variance);
    expect(r.runningMean).not.toBe(mean);
    expect(r.runningVar).not.toBe(variance);
    tf.dispose([mean, variance]);  // the caller's copies stay valid on their own
    expectClose(take(r.runningMean), [0.5, -1], 0);
    expectClose(take(r.runningVar), [2, 0.25], 0);
    expectClose(take(r.y), [0.5 / Math.sqrt(2 + 1e-5), 3 / Math.sqrt(0.25 + 1e-5),
                            2.5 / Math.sqrt(2 + 1e-5), 5 / Math.sqrt(0.25 + 1e-5)], 1e-5);
  });

  it('does not modify the running-statistics tensors it is given in training', () => {
    const mean = tf.tensor([0.5, -1]);
    const variance = tf.tensor([2, 0.25]);
    const r = batchNorm([[1, 2], [3, 4]], mean, variance, null, null, {training: true});
    expectClose(take(mean), [0.5, -1], 0);
    expectClose(take(variance), [2, 0.25], 0);
    tf.dispose([r.y, r.runningMean, r.runningVar]);
  });

  for (const varianceUpdate of ['unbiased', 'biased'] as const) {
    it(`tracks a float64 simulation over several training steps (${varianceUpdate})`, () => {
      const shape = [3, 4, 5];
      const next = rng(varianceUpdate === 'biased' ? 21 : 22);
      const batches = [0, 1, 2, 3].map(k => randomValues(sizeOf(shape), next, -2 + k, 2 + 2 * k));
      const mean0 = randomValues(4, next, -1, 1);
      const var0 = randomValues(4, next, 0.5, 2);
      let mean = tf.tensor(mean0);
      let variance = tf.tensor(var0);
      expectNoLeak(() => {
        for (const b of batches) {
          const x = tf.tensor(b, shape);
          const r = batchNorm(x, mean, variance, null, null,
                              {training: true, momentum: 0.3, varianceUpdate});
          tf.dispose([x, r.y, mean, variance]);
          mean = r.runningMean;
          variance = r.runningVar;
        }
      });
      const ref = runningStatsRef(batches, shape, 1, mean0, var0, 0.3, varianceUpdate);
      expectClose(take(mean), ref.mean, 1e-5);
      expectClose(take(variance), ref.variance, 1e-5);
    });
  }

  it('distinguishes the unbiased from the biased variance update (factor M / (M - 1))', () => {
    // One channel, M = 2 values 0 and 2: biased var 1, unbiased 2.
    const opts: BatchNormOptions = {training: true, momentum: 1};
    const u = batchNorm([[0], [2]], [0], [0], null, null, opts);
    const b = batchNorm([[0], [2]], [0], [0], null, null, {...opts, varianceUpdate: 'biased'});
    expectClose(take(u.runningVar), [2], 1e-6);
    expectClose(take(b.runningVar), [1], 1e-6);
    expectClose(take(u.runningMean), [1], 1e-6);
    // Normalization uses the biased variance either way.
    expectClose(take(u.y), [-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5)], 1e-6);
    tf.dispose([b.y, b.runningMean]);
  });

  it('keeps the running variance with one value per channel and unbiased update (0/0)', () => {
    const x = [[1.5, -2, 4]];  // N = 1, (N, C): M = 1 per channel
    const u = batchNorm(x, [0, 1, 2], [3, 4, 5], null, [0.5, 0.5, 0.5],
                        {training: true, momentum: 0.2});
    expectClose(take(u.runningVar), [3, 4, 5], 0);
    expectClose(take(u.runningMean), [0.8 * 0 + 0.2 * 1.5, 0.8 * 1 - 0.4, 0.8 * 2 + 0.8], 1e-6);
    expectClose(take(u.y), [0.5, 0.5, 0.5], 0);  // xhat = 0: y = beta
    const b = batchNorm(x, [0, 1, 2], [3, 4, 5], null, null,
                        {training: true, momentum: 0.2, varianceUpdate: 'biased'});
    expectClose(take(b.runningVar), [2.4, 3.2, 4], 1e-6);  // biased batch var 0
    tf.dispose([b.y, b.runningMean]);
  });

  it('momentum 0 keeps the running statistics, momentum 1 replaces them', () => {
    const shape = [4, 2];
    const xv = randomValues(8, rng(8));
    const batch = channelStatsRef(xv, shape, 1);
    const keep = batchNorm(tf.tensor(xv, shape), [1, 2], [3, 4], null, null,
                           {training: true, momentum: 0});
    expectClose(take(keep.runningMean), [1, 2], 0);
    expectClose(take(keep.runningVar), [3, 4], 0);
    const swap = batchNorm(tf.tensor(xv, shape), [1, 2], [3, 4], null, null,
                           {training: true, momentum: 1, varianceUpdate: 'biased'});
    expectClose(take(swap.runningMean), batch.mean, 1e-6);
    expectClose(take(swap.runningVar), batch.variance, 1e-6);
    tf.dispose([keep.y, swap.y]);
  });

  it('is stable for a large mean with small spread (two-pass statistics)', () => {
    const shape = [16, 3, 16];
    const next = rng(1234);
    const xv = randomValues(sizeOf(shape), next, 1e4 - 0.05, 1e4 + 0.05);
    const gamma = randomValues(3, next, 0.5, 2);
    const beta = randomValues(3, next, -1, 1);
    const r = batchNorm(tf.tensor(xv, shape), [0, 0, 0], [1, 1, 1], gamma, beta,
                        {training: true, varianceUpdate: 'biased'});
    const ref = {axis: 1, training: true, runningMean: [], runningVar: [], gamma, beta, eps: 1e-5};
    expectClose(take(r.y), batchNormRef(xv, shape, ref), 1e-5);
    const stats = runningStatsRef([xv], shape, 1, [0, 0, 0], [1, 1, 1], 0.1, 'biased');
    expectClose(take(r.runningMean), stats.mean, 1e-3);  // ~1e3, float32 storage
    expectClose(take(r.runningVar), stats.variance, 1e-6);
  });

  it('handles an empty batch: empty y, running statistics unchanged', () => {
    const r = batchNorm(tf.zeros([0, 2, 3]), [1, 2], [3, 4], null, null, {training: true});
    expect(r.y.shape).toEqual([0, 2, 3]);
    expectClose(take(r.runningMean), [1, 2], 0);
    expectClose(take(r.runningVar), [3, 4], 0);
    r.y.dispose();
  });

  describe('gradient', () => {
    const gradShapes: Array<[number[], 'NCHW'|'NHWC']> = [
      [[4, 3], 'NCHW'],
      [[3, 2, 4], 'NCHW'],
      [[2, 2, 3, 3], 'NCHW'],
      [[2, 3, 2, 3], 'NHWC'],
    ];
    for (const training of [true, false]) {
      for (const [shape, dataFormat] of gradShapes) {
        it(`matches float64 central differences for x, gamma, beta in ` +
           `${training ? 'training' : 'inference'}, [${shape}] ${dataFormat}`, () => {
          const axis = dataFormat === 'NHWC' ? shape.length - 1 : 1;
          const d = makeCase(shape, axis, sizeOf(shape) * 3 + (training ? 7 : 0));
          const dyv = randomValues(sizeOf(shape), rng(sizeOf(shape)), -1, 1);
          const eps = 1e-3;
          const c = [shape[axis]];
          const [x, gamma, beta, mean, variance, dy] = [
            tf.tensor(d.x, shape), tf.tensor(d.gamma, c), tf.tensor(d.beta, c),
            tf.tensor(d.runningMean, c), tf.tensor(d.runningVar, c), tf.tensor(dyv, shape)];
          const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
              batchNorm(a, mean, variance, g, b, {training, eps, dataFormat}).y;
          const grads = expectNoLeak(() => tf.grads(f)([x, gamma, beta], dy).map(take));
          const args: BatchNormRefArgs = {...d, axis, training, eps};
          expectClose(grads[0], centralDiff(v => batchNormRef(v, shape, args), d.x, dyv),
                      1e-5, 1e-4);
          expectClose(grads[1], centralDiff(v => batchNormRef(d.x, shape, {...args, gamma: v}),
                                            d.gamma, dyv), 1e-5, 1e-4);
          expectClose(grads[2], centralDiff(v => batchNormRef(d.x, shape, {...args, beta: v}),
                                            d.beta, dyv), 1e-5, 1e-4);
          tf.dispose([x, gamma, beta, mean, variance, dy]);
        });
      }
    }

    for (const training of [true, false]) {
      it(`gives zero gradients to the running statistics (${training ? 'training' : 'inference'})`,
         () => {
           const x = tf.tensor(randomValues(12, rng(4)), [4, 3]);
           const mean = tf.tensor([0.1, 0.2, 0.3]);
           const variance = tf.tensor([1, 2, 3]);
           const grads = expectNoLeak(() => tf.grads(
               (m: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(
                   batchNorm(x, m, v, null, null, {training}).y)))([mean, variance]).map(take));
           expectClose(grads[0], [0, 0, 0], 0);
           expectClose(grads[1], [0, 0, 0], 0);
           tf.dispose([x, mean, variance]);
         });
    }

    it('ignores gradients arriving at the updated running statistics (MindSpore bprop)', () => {
      const shape = [4, 3];
      const xv = randomValues(12, rng(6));
      const x = tf.tensor(xv, shape);
      const dyv = randomValues(12, rng(7));
      const dy = tf.tensor(dyv, shape);
      const g = expectNoLeak(() => take(tf.grad((a: tf.Tensor) => {
        const r = batchNorm(a, [0, 0, 0], [1, 1, 1], null, null, {training: true});
        return tf.add(tf.sum(tf.mul(r.y, dy)), tf.add(tf.sum(r.runningMean), tf.sum(r.runningVar)));
      })(x)));
      const ref = (v: Float64Array) => batchNormRef(v, shape, {
        axis: 1, training: true, eps: 1e-5, runningMean: [], runningVar: [],
        gamma: [1, 1, 1], beta: [0, 0, 0]});
      expectClose(g, centralDiff(ref, xv, dyv), 1e-5, 1e-4);
      tf.dispose([x, dy]);
    });

    it('leaks nothing when only x needs a gradient (unused dgamma, dbeta released)', () => {
      const x = tf.tensor(randomValues(24, rng(9)), [2, 3, 4]);
      const gamma = tf.tensor([1, 2, 3]);
      for (const training of [true, false]) {
        expectNoLeak(() => take(tf.grad((a: tf.Tensor) => tf.sum(tf.square(
            batchNorm(a, [0, 0, 0], [1, 1, 1], gamma, null, {training}).y)))(x)));
      }
      tf.dispose([x, gamma]);
    });
  });

  describe('errors', () => {
    let x: tf.Tensor;
    let m3: tf.Tensor;
    let v3: tf.Tensor;
    let xInt: tf.Tensor;
    beforeAll(() => {
      x = tf.ones([2, 3, 4]);
      m3 = tf.zeros([3]);
      v3 = tf.ones([3]);
      xInt = tf.ones([2, 3], 'int32');
    });
    afterAll(() => tf.dispose([x, m3, v3, xInt]));
    const run = (options: unknown) => () =>
        batchNorm(x, m3, v3, null, null, options as BatchNormOptions);

    const cases: Array<[string, () => unknown, RegExp]> = [
      ['momentum > 1', run({momentum: 1.5}),
       /batchNorm: 'momentum' must be a number in range \[0, 1\], but got 1\.5\./],
      ['momentum < 0', run({momentum: -0.1}), /'momentum' must be a number in range \[0, 1\], but got -0\.1/],
      ['momentum NaN', run({momentum: NaN}), /'momentum' .* but got NaN/],
      ['momentum as a string', run({momentum: '0.1'}), /'momentum' .* but got '0\.1'/],
      ['eps = 0', run({eps: 0}), /batchNorm: 'eps' must be a finite number > 0, but got 0\./],
      ['eps infinite', run({eps: Infinity}), /'eps' must be a finite number > 0, but got Infinity/],
      ['a non-boolean training', run({training: 1}), /batchNorm: 'training' must be a boolean, but got 1\./],
      ['an unknown dataFormat', run({dataFormat: 'NCW'}),
       /batchNorm: 'dataFormat' must be one of 'NCHW', 'NHWC', but got 'NCW'\./],
      ['an unknown varianceUpdate', run({varianceUpdate: 'sample'}),
       /batchNorm: 'varianceUpdate' must be one of 'unbiased', 'biased', but got 'sample'\./],
      ['an unknown option', run({epsilon: 1e-3}),
       /batchNorm: 'options' has an unknown key 'epsilon': its keys must be among 'training', 'momentum', 'eps', 'dataFormat', 'varianceUpdate', but got 'epsilon'; did you mean 'eps'\?/],
      ['non-object options', run(0.1), /batchNorm: 'options' must be an object, but got 0\.1\./],
      ['rank 1 input', () => batchNorm([1, 2, 3], [0], [1]), /batchNorm: 'x' must be of rank >= 2, but got rank 1 \(shape \[3\]\)/],
      ['int32 input', () => batchNorm(xInt, m3, v3), /batchNorm: 'x' must be a float32 tensor, but got a int32 tensor of shape \[2,3\]/],
      ['a runningMean of the wrong shape', () => batchNorm(x, [0, 0], v3),
       /batchNorm: 'runningMean' must have shape \[3\], but got shape \[2\]\./],
      ['a runningVar of the wrong shape', () => batchNorm(x, m3, [[1, 1, 1]]),
       /batchNorm: 'runningVar' must have shape \[3\], but got shape \[1,3\]\./],
      ['a weight of the wrong shape', () => batchNorm(x, m3, v3, [1, 1, 1, 1]),
       /batchNorm: 'weight' must have shape \[3\], but got shape \[4\]\./],
      ['a bias of the wrong shape', () => batchNorm(x, m3, v3, null, [0]),
       /batchNorm: 'bias' must have shape \[3\], but got shape \[1\]\./],
      ['NHWC stats sized for axis 1', () => batchNorm(x, m3, v3, null, null, {dataFormat: 'NHWC'}),
       /batchNorm: 'runningMean' must have shape \[4\], but got shape \[3\]\./],
      ['an int32 runningVar', () => batchNorm(x, m3, new Int32Array(3)),
       /'runningVar' must hold float32 numbers, but got int32/],
      ['converted arrays before a late failure', () => batchNorm(
           [[1, 2], [3, 4]], [0, 0], [1, 1], [1, 1], [0, 0, 0], {training: true}),
       /'bias' must have shape \[2\], but got shape \[3\]/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }

    it('rejects a disposed running statistic without leaking', () => {
      const m = tf.zeros([3]);
      m.dispose();
      expectThrowsNoLeak(() => batchNorm(x, m, v3), /batchNorm: 'runningMean' is a disposed tensor/);
    });
  });
});
