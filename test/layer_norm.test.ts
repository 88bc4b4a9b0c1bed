import * as tf from '@tensorflow/tfjs-core';
// Importing tfjs-layers registers tfjs-core's own gradients (mul, sum, addN),
// used by the loss that combines all three outputs.
import '@tensorflow/tfjs-layers';

import {layerNorm, LayerNormOptions} from '../src';
import {centralDiff, expectClose, expectNoLeak, expectThrowsNoLeak, layerNormRef, randomValues, rng, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random x, gamma in [0.5, 1.5), beta in [-1, 1) for a layer norm case. */
function makeCase(shape: number[], bpa: number, seed: number, lo = -2, hi = 2) {
  const next = rng(seed);
  const paramShape = shape.slice(bpa);
  return {
    xv: randomValues(sizeOf(shape), next, lo, hi),
    gv: randomValues(sizeOf(paramShape), next, 0.5, 1.5),
    bv: randomValues(sizeOf(paramShape), next, -1, 1),
    paramShape,
  };
}

/** Runs layerNorm on fresh tensors, checks for leaks and returns plain arrays. */
function run(
    xv: Float32Array, shape: number[], gv: Float32Array, bv: Float32Array,
    paramShape: number[], options: LayerNormOptions) {
  const x = tf.tensor(xv, shape);
  const gamma = tf.tensor(gv, paramShape);
  const beta = tf.tensor(bv, paramShape);
  const out = expectNoLeak(() => {
    const {y, mean, variance} = layerNorm(x, gamma, beta, options);
    const shapes = {y: y.shape, mean: mean.shape, variance: variance.shape};
    return {shapes, y: take(y), mean: take(mean), variance: take(variance)};
  });
  tf.dispose([x, gamma, beta]);
  return out;
}

describe('layerNorm', () => {
  it('normalizes over axes [1, rank) with beginNormAxis = beginParamsAxis = 1 by default', () => {
    const {y, mean, variance} = layerNorm([[1, 2, 3], [4, 6, 8]], [1, 1, 1], [0, 0, 0]);
    expect(mean.shape).toEqual([2, 1]);
    expect(variance.shape).toEqual([2, 1]);
    const r = 1 / Math.sqrt(2 / 3 + 1e-7);
    const r2 = 2 / Math.sqrt(8 / 3 + 1e-7);
    expectClose(take(y), [-r, 0, r, -r2, 0, r2], 1e-6);
    expectClose(take(mean), [2, 6], 1e-6);
    expectClose(take(variance), [2 / 3, 8 / 3], 1e-6);  // biased (divides by 3)
  });

  it('uses epsilon 1e-7 by default (PyTorch 1e-5, tfjs layers 1e-3)', () => {
    // var = 2.5e-7, comparable to epsilon: the default is visible in y.
    const {y, mean, variance} = layerNorm([[0, 1e-3]], [1, 1], [0, 0]);
    const expected = 5e-4 / Math.sqrt(Math.fround(2.5e-7) + 1e-7);
    expectClose(take(y), [-expected, expected], 1e-5);
    tf.dispose([mean, variance]);
  });

  it('applies gamma and beta after normalizing', () => {
    const {y, mean, variance} = layerNorm([[1, 3]], [2, 3], [10, 20]);
    const n = 1 / Math.sqrt(1 + 1e-7);
    expectClose(take(y), [10 - 2 * n, 20 + 3 * n], 1e-5);
    tf.dispose([mean, variance]);
  });

  describe('matches the float64 reference for every valid (beginNormAxis, beginParamsAxis)', () => {
    const shapes = [[3, 5], [2, 3, 4], [2, 3, 2, 3]];
    for (const shape of shapes) {
      const rank = shape.length;
      for (let bna = -1; bna < rank; bna++) {
        for (let bpa = -1; bpa < rank; bpa++) {
          it(`shape [${shape}] bna ${bna} bpa ${bpa}`, () => {
            const a = bna < 0 ? bna + rank : bna;
            const p = bpa < 0 ? bpa + rank : bpa;
            const {xv, gv, bv, paramShape} = makeCase(shape, p, rank * 100 + a * 10 + p);
            const out = run(
                xv, shape, gv, bv, paramShape,
                {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: 1e-5});
            const ref = layerNormRef(xv, shape, a, p, gv, bv, 1e-5);
            const statsShape = shape.map((d, i) => (i < a ? d : 1));
            expect(out.shapes).toEqual({y: shape, mean: statsShape, variance: statsShape});
            expectClose(out.y, ref.y, 1e-5);
            expectClose(out.mean, ref.mean, 1e-5);
            expectClose(out.variance, ref.variance, 1e-5);
          });
        }
      }
    }
  });

  it('matches the float64 reference on random shapes and axes', () => {
    const next = rng(2024);
    for (let trial = 0; trial < 12; trial++) {
      const rank = 1 + Math.floor(next() * 5);
      const shape = Array.from({length: rank}, () => 1 + Math.floor(next() * 4));
      const bna = Math.floor(next() * (rank + 1)) - 1;
      const bpa = Math.floor(next() * (rank + 1)) - 1;
      const a = bna < 0 ? rank - 1 : bna;
      const p = bpa < 0 ? rank - 1 : bpa;
      const eps = [1e-7, 1e-5, 1e-3][trial % 3];
      const {xv, gv, bv, paramShape} = makeCase(shape, p, 7 + trial, -5, 5);
      const out = run(
          xv, shape, gv, bv, paramShape, {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: eps});
      const ref = layerNormRef(xv, shape, a, p, gv, bv, eps);
      // A size-1 block has variance 0 and y = beta, (x - mean) being exactly 0.
      expectClose(out.y, ref.y, 1e-5);
      expectClose(out.mean, ref.mean, 1e-5);
      expectClose(out.variance, ref.variance, 1e-5);
    }
  });

  it('is stable on a large offset (1e4 + noise): two-pass statistics', () => {
    const shape = [4, 64];
    const next = rng(99);
    const xv = randomValues(sizeOf(shape), next, 1e4 - 1, 1e4 + 1);
    const gv = new Float32Array(64).fill(1);
    const bv = new Float32Array(64);
    const out = run(xv, shape, gv, bv, [64], {epsilon: 1e-7});
    const ref = layerNormRef(xv, shape, 1, 1, gv, bv, 1e-7);
    expectClose(out.y, ref.y, 1e-5);
    expectClose(out.variance, ref.variance, 1e-6);  // ~1/3; E[x^2] - mean^2 in float32 is off by ~1e3
    expectClose(out.mean, ref.mean, 0, 1e-7);  // float32 rounding of ~1e4
  });

  it('normalizes a constant block to beta (variance 0)', () => {
    const {y, mean, variance} = layerNorm([[5, 5, 5]], [2, 2, 2], [1, 2, 3]);
    expectClose(take(y), [1, 2, 3], 0);
    expectClose(take(mean), [5], 0);
    expectClose(take(variance), [0], 0);
  });

  it('handles empty tensors', () => {
    const {y, mean, variance} = layerNorm(tf.zeros([0, 3]), tf.ones([3]), tf.zeros([3]));
    expect(y.shape).toEqual([0, 3]);
    expect(mean.shape).toEqual([0, 1]);
    expect(variance.shape).toEqual([0, 1]);
    tf.dispose([y, mean, variance]);
  });

  it('accepts nested arrays for x, gamma and beta and leaks nothing', () => {
    const out = expectNoLeak(() => {
      const r = layerNorm([[1, 2], [3, 5]], [1, 1], [0, 0], {beginNormAxis: -1});
      return [take(r.y), take(r.mean), take(r.variance)];
    });
    const n1 = 0.5 / Math.sqrt(0.25 + 1e-7);
    const n2 = 1 / Math.sqrt(1 + 1e-7);
    expectClose(out[0], [-n1, n1, -n2, n2], 1e-6);
    expectClose(out[1], [1.5, 4], 1e-6);
    expectClose(out[2], [0.25, 1], 1e-6);
  });

  describe('gradient', () => {
    // [shape, bna, bpa]; -1 and bna != bpa in both directions included.
    const cases: Array<[number[], number, number]> = [
      [[3, 4], 1, 1],
      [[3, 4], -1, -1],
      [[3, 4], 0, 1],
      [[3, 4], 1, 0],
      [[2, 3, 4], 1, 2],
      [[2, 3, 4], 2, 1],
      [[2, 3, 4], 1, -1],
      [[2, 3, 4], 0, 0],
      [[2, 2, 2, 3], 2, 1],
      [[2, 2, 2, 3], 1, 3],
    ];
    for (const [shape, bna, bpa] of cases) {
      const rank = shape.length;
      const a = bna < 0 ? bna + rank : bna;
      const p = bpa < 0 ? bpa + rank : bpa;

      it(`of y matches central differences over x, gamma, beta: [${shape}] bna ${bna} bpa ${bpa}`,
         () => {
           const {xv, gv, bv, paramShape} = makeCase(shape, p, 500 + rank * 10 + a * 3 + p);
           const dyv = randomValues(sizeOf(shape), rng(17), -1, 1);
           const eps = 1e-5;
           const [x, gamma, beta, dy] = [
             tf.tensor(xv, shape), tf.tensor(gv, paramShape), tf.tensor(bv, paramShape),
             tf.tensor(dyv, shape),
           ];
           const f = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
               layerNorm(t, g, b, {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: eps}).y;
           const grads = expectNoLeak(() => tf.grads(f)([x, gamma, beta], dy).map(take));
           const ref = (xs: ArrayLike<number>, gs: ArrayLike<number>, bs: ArrayLike<number>) =>
               layerNormRef(xs, shape, a, p, gs, bs, eps).y;
           expectClose(grads[0], centralDiff(v => ref(v, gv, bv), xv, dyv), 1e-5, 1e-4);
           expectClose(grads[1], centralDiff(v => ref(xv, v, bv), gv, dyv), 1e-5, 1e-4);
           expectClose(grads[2], centralDiff(v => ref(xv, gv, v), bv, dyv), 1e-5, 1e-4);
           tf.dispose([x, gamma, beta, dy]);
         });

      it(`flows through the mean and variance outputs too: [${shape}] bna ${bna} bpa ${bpa}`,
         () => {
           const {xv, gv, bv, paramShape} = makeCase(shape, p, 900 + rank * 10 + a * 3 + p);
           const statsShape = shape.map((d, i) => (i < a ? d : 1));
           const next = rng(33);
           const dyv = randomValues(sizeOf(shape), next, -1, 1);
           const dmv = randomValues(sizeOf(statsShape), next, -1, 1);
           const dvv = randomValues(sizeOf(statsShape), next, -1, 1);
           const eps = 1e-5;
           const [x, gamma, beta, dy, dm, dv] = [
             tf.tensor(xv, shape), tf.tensor(gv, paramShape), tf.tensor(bv, paramShape),
             tf.tensor(dyv, shape), tf.tensor(dmv, statsShape), tf.tensor(dvv, statsShape),
           ];
           // loss = sum(y * dy) + sum(mean * dm) + sum(variance * dv)
           const loss = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
             const r = layerNorm(t, g, b, {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: eps});
             return tf.addN([tf.sum(tf.mul(r.y, dy)), tf.sum(tf.mul(r.mean, dm)),
                             tf.sum(tf.mul(r.variance, dv))]);
           };
           const grads = expectNoLeak(() => tf.grads(loss)([x, gamma, beta]).map(take));
           const weights = Float64Array.from([...dyv, ...dmv, ...dvv]);
           const ref = (xs: ArrayLike<number>, gs: ArrayLike<number>, bs: ArrayLike<number>) => {
             const r = layerNormRef(xs, shape, a, p, gs, bs, eps);
             return Float64Array.from([...r.y, ...r.mean, ...r.variance]);
           };
           expectClose(grads[0], centralDiff(v => ref(v, gv, bv), xv, weights), 1e-5, 1e-4);
           expectClose(grads[1], centralDiff(v => ref(xv, v, bv), gv, weights), 1e-5, 1e-4);
           expectClose(grads[2], centralDiff(v => ref(xv, gv, v), bv, weights), 1e-5, 1e-4);
           tf.dispose([x, gamma, beta, dy, dm, dv]);
         });
    }

    it('leaks nothing when only x is differentiated (gamma, beta constant)', () => {
      const x = tf.tensor(randomValues(12, rng(4)), [3, 4]);
      const gamma = tf.ones([4]);
      const beta = tf.zeros([4]);
      const g = expectNoLeak(() => take(tf.grad((t: tf.Tensor) => layerNorm(t, gamma, beta).y)(x)));
      // With dy = 1 and gamma = 1, sum(dxhat) = M and sum(dxhat * xhat) = 0: dx = 0.
      expectClose(g, new Array(12).fill(0), 1e-5);
      tf.dispose([x, gamma, beta]);
    });

    it('gives dbeta = the sum of dy over the axes beta lacks', () => {
      const x = tf.tensor(randomValues(6, rng(8)), [2, 3]);
      const gamma = tf.ones([3]);
      const beta = tf.zeros([3]);
      const g = expectNoLeak(
          () => take(tf.grad((b: tf.Tensor) => layerNorm(x, gamma, b).y)(beta)));
      expectClose(g, [2, 2, 2], 1e-6);  // dbeta = sum of dy over the batch axis
      tf.dispose([x, gamma, beta]);
    });
  });

  describe('errors', () => {
    const ones = (n: number) => new Array(n).fill(1);
    const x3 = () => [[[1, 2], [3, 4]], [[5, 6], [7, 8]]];  // shape [2, 2, 2]
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['beginNormAxis below -1',
       () => layerNorm(x3(), [[1, 1], [1, 1]], [[0, 0], [0, 0]], {beginNormAxis: -2}),
       /^layerNorm: 'beginNormAxis' must be an integer in the range \[-1, 3\), but got -2\.$/],
      ['beginNormAxis = rank',
       () => layerNorm(x3(), [[1, 1], [1, 1]], [[0, 0], [0, 0]], {beginNormAxis: 3}),
       /'beginNormAxis' must be an integer in the range \[-1, 3\), but got 3\./],
      ['non-integer beginNormAxis',
       () => layerNorm(x3(), [[1, 1], [1, 1]], [[0, 0], [0, 0]], {beginNormAxis: 1.5}),
       /'beginNormAxis' must be an integer in the range \[-1, 3\), but got 1.5\./],
      ['beginParamsAxis below -1',
       () => layerNorm(x3(), [[1, 1], [1, 1]], [[0, 0], [0, 0]], {beginParamsAxis: -3}),
       /^layerNorm: 'beginParamsAxis' must be an integer in the range \[-1, 3\), but got -3\.$/],
      ['beginParamsAxis = rank',
       () => layerNorm(x3(), [[1, 1], [1, 1]], [[0, 0], [0, 0]], {beginParamsAxis: 3}),
       /'beginParamsAxis' must be an integer in the range \[-1, 3\), but got 3\./],
      ['string beginParamsAxis',
       () => layerNorm(x3(), ones(2), ones(2), {beginParamsAxis: '1' as unknown as number}),
       /'beginParamsAxis' must be an integer in the range \[-1, 3\), but got '1'\./],
      ['default beginNormAxis on rank 1', () => layerNorm([1, 2], [1, 1], [0, 0]),
       /'beginNormAxis' must be an integer in the range \[-1, 1\), but got 1\./],
      ['negative epsilon', () => layerNorm([[1, 2]], [1, 1], [0, 0], {epsilon: -1e-5}),
       /^layerNorm: 'epsilon' must be a finite number >= 0, but got -0.00001\.$/],
      ['NaN epsilon', () => layerNorm([[1, 2]], [1, 1], [0, 0], {epsilon: NaN}),
       /'epsilon' must be a finite number >= 0, but got NaN\./],
      ['gamma of the wrong shape', () => layerNorm(x3(), ones(2), [[0, 0], [0, 0]]),
       /^layerNorm: 'gamma' must have shape \[2,2\], but got shape \[2\]\.$/],
      ['beta of the wrong shape',
       () => layerNorm(x3(), [[1, 1], [1, 1]], [0, 0], {beginParamsAxis: 1}),
       /^layerNorm: 'beta' must have shape \[2,2\], but got shape \[2\]\.$/],
      ['gamma matching beginNormAxis instead of beginParamsAxis',
       () => layerNorm(x3(), ones(2), ones(2), {beginNormAxis: 2, beginParamsAxis: 1}),
       /'gamma' must have shape \[2,2\], but got shape \[2\]/],
      ['rank-0 x', () => layerNorm(3 as unknown as number[], [], []),
       /^layerNorm: 'x' must be of rank >= 1, but got rank 0 \(shape \[\]\)\.$/],
      ['int32 x', () => layerNorm(new Int32Array([1, 2]), [1, 1], [0, 0], {beginNormAxis: 0}),
       /'x' must hold float32 numbers, but got int32 values/],
      ['ragged gamma', () => layerNorm(x3(), [[1, 1], [1]], [[0, 0], [0, 0]]),
       /'gamma' must be a rectangular \(nested\) array of numbers/],
      ['missing beta',
       () => layerNorm([[1, 2]], [1, 1], undefined as unknown as number[]),
       /'beta' must be a float32 Tensor or a \(nested\) array of numbers, but got undefined/],
      ['options that are not an object',
       () => layerNorm([[1, 2]], [1, 1], [0, 0], 1 as unknown as LayerNormOptions),
       /^layerNorm: 'options' must be an object, but got 1\.$/],
      ['an unknown option (snake_case)',
       () => layerNorm([[1, 2]], [1, 1], [0, 0], {begin_norm_axis: 1} as LayerNormOptions),
       /'options' has an unknown key 'begin_norm_axis': its keys must be among 'beginNormAxis', 'beginParamsAxis', 'epsilon', but got 'begin_norm_axis'; did you mean 'beginNormAxis' \(MindSpore's begin_norm_axis\)\?/],
    ];
    for (const [name, fn, msg] of cases) {
      it(`rejects ${name} with a clear message and no leak`, () => {
        expectThrowsNoLeak(fn, msg);
      });
    }

    it('rejects an int32 gamma tensor', () => {
      const g = tf.tensor([1, 1], [2], 'int32');
      expectThrowsNoLeak(() => layerNorm([[1, 2]], g, [0, 0]),
          /layerNorm: 'gamma' must be a float32 tensor, but got a int32 tensor of shape \[2\]/);
      g.dispose();
    });

    it('rejects a disposed x', () => {
      const t = tf.tensor([[1, 2]]);
      t.dispose();
      expectThrowsNoLeak(() => layerNorm(t, [1, 1], [0, 0]), /layerNorm: 'x' is a disposed tensor/);
    });
  });
});
