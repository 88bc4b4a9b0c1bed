// SPDX-License-Identifier: Apache-2.0
/**
 * Behaviour at the edges: empty tensors, size-1 reductions, values whose
 * squares overflow or underflow float32, large means with small variance,
 * NaN/Infinity confined to their slice, float16-range values, huge LRN
 * windows and degenerate inputs. Each `it` is one line of docs/edges.md.
 * Expected numbers come from the float64 references in test_util (the
 * formulas of SEMANTICS.md) or are worked out by hand in the test.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {batchNorm, groupNorm, instanceNorm, l2Normalize, layerNorm, layers, lrn, torchLocalResponseNorm, torchNormalize} from '../../src';
import {batchNormRef, centralDiff, coordsOf, expectClose, expectNoLeak, groupNormRef, instanceNormRef, l2NormalizeRef, layerNormRef, lrnRef, randomValues, rng, runningStatsRef, sizeOf, take} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * One op with fixed arguments, its float64 reference, and which outputs an
 * input element can reach (its slice / group / channel / window).
 */
interface OpCase {
  name: string;
  shape: number[];
  run: (x: tf.Tensor) => tf.Tensor;
  ref: (x: ArrayLike<number>, shape: number[]) => Float64Array;
  /** Whether input element i can affect output element j. */
  reaches: (i: number, j: number, shape: number[]) => boolean;
}

const ones = (n: number) => new Array<number>(n).fill(1);
const zeros = (n: number) => new Array<number>(n).fill(0);
const same = (dims: number[]) => (i: number, j: number, shape: number[]) => {
  const a = coordsOf(i, shape);
  const b = coordsOf(j, shape);
  return dims.every(d => a[d] === b[d]);
};

// gamma/beta are not trivial, so scale and offset errors would show.
const gamma4 = [1.5, -0.5, 2, 0.25];
const beta4 = [0.1, -0.2, 0.3, 0];

const opCases: OpCase[] = [
  {
    name: 'l2Normalize (axis 1)', shape: [3, 4, 2],
    run: x => l2Normalize(x, 1, 1e-4),
    ref: (x, s) => l2NormalizeRef(x, s, [1], 1e-4),
    reaches: same([0, 2]),
  },
  {
    name: 'lrn (depthRadius 1)', shape: [2, 4, 2, 1],
    run: x => lrn(x, 1, 1, 1e-3, 0.75),
    ref: (x, s) => lrnRef(x, s, 1, 1, 1e-3, 0.75),
    reaches: (i, j, s) => same([0, 2, 3])(i, j, s) &&
        Math.abs(coordsOf(i, s)[1] - coordsOf(j, s)[1]) <= 1,
  },
  {
    name: 'groupNorm (2 groups)', shape: [2, 4, 3],
    run: x => groupNorm(x, 2, gamma4, beta4),
    ref: (x, s) => groupNormRef(x, s, 2, gamma4, beta4, 1e-5),
    reaches: (i, j, s) => coordsOf(i, s)[0] === coordsOf(j, s)[0] &&
        Math.floor(coordsOf(i, s)[1] / 2) === Math.floor(coordsOf(j, s)[1] / 2),
  },
  {
    name: 'batchNorm training', shape: [3, 4, 2],
    run: x => take2(batchNorm(x, zeros(4), ones(4), gamma4, beta4, {training: true})),
    ref: (x, s) => batchNormRef(x, s, {
      axis: 1, training: true, runningMean: zeros(4), runningVar: ones(4), gamma: gamma4,
      beta: beta4, eps: 1e-5,
    }),
    reaches: same([1]),
  },
  {
    name: 'batchNorm inference', shape: [3, 4, 2],
    run: x => take2(batchNorm(x, [0.5, -1, 0, 2], [1, 4, 0.25, 2], gamma4, beta4)),
    ref: (x, s) => batchNormRef(x, s, {
      axis: 1, training: false, runningMean: [0.5, -1, 0, 2], runningVar: [1, 4, 0.25, 2],
      gamma: gamma4, beta: beta4, eps: 1e-5,
    }),
    reaches: (i, j) => i === j,
  },
  {
    name: 'layerNorm (beginNormAxis 1)', shape: [3, 4],
    run: x => takeY(layerNorm(x, gamma4, beta4, {beginNormAxis: 1, beginParamsAxis: 1})),
    ref: (x, s) => layerNormRef(x, s, 1, 1, gamma4, beta4, 1e-7).y,
    reaches: same([0]),
  },
  {
    name: 'instanceNorm', shape: [2, 4, 3],
    run: x => instanceNorm(x, gamma4, beta4),
    ref: (x, s) => instanceNormRef(x, s, gamma4, beta4, 1e-5),
    reaches: same([0, 1]),
  },
];

/** Keeps y of an op returning several tensors, disposing the rest. */
function take2(r: {y: tf.Tensor, runningMean: tf.Tensor, runningVar: tf.Tensor}): tf.Tensor {
  r.runningMean.dispose();
  r.runningVar.dispose();
  return r.y;
}

function takeY(r: {y: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor}): tf.Tensor {
  r.mean.dispose();
  r.variance.dispose();
  return r.y;
}

/** Runs an op on values of its shape; returns the output values (no leak). */
function runOn(c: OpCase, values: ArrayLike<number>): number[] {
  const x = tf.tensor(Float32Array.from(values), c.shape);
  const y = expectNoLeak(() => take(c.run(x)));
  x.dispose();
  return y;
}

// ---------------------------------------------------------------------------

describe('empty tensors (a zero-size dimension)', () => {
  const empties: Array<[string, number[], (x: tf.Tensor) => tf.Tensor]> = [
    ['l2Normalize, empty batch', [0, 3], x => l2Normalize(x, 1)],
    ['l2Normalize, empty reduced axis', [2, 0], x => l2Normalize(x, 1)],
    ['lrn, empty batch', [0, 3, 2, 2], x => lrn(x, 1)],
    ['lrn, no channels', [1, 0, 2, 2], x => lrn(x, 1)],
    ['groupNorm, empty batch', [0, 4, 2], x => groupNorm(x, 2)],
    ['groupNorm, empty spatial axis', [2, 4, 0], x => groupNorm(x, 2)],
    ['batchNorm inference, empty batch', [0, 3], x => take2(batchNorm(x, zeros(3), ones(3)))],
    ['layerNorm, empty batch', [0, 3], x => takeY(layerNorm(x, ones(3), zeros(3)))],
    ['instanceNorm, empty length', [2, 3, 0], x => instanceNorm(x)],
    ['instanceNorm, empty batch', [0, 3, 2], x => instanceNorm(x)],
    ['torchNormalize, empty batch', [0, 3], x => torchNormalize(x)],
    ['torchLocalResponseNorm, no channels', [1, 0, 2], x => torchLocalResponseNorm(x, 2)],
  ];
  for (const [name, shape, run] of empties) {
    it(`${name}: output and gradient are empty tensors of shape [${shape}]`, () => {
      const x = tf.zeros(shape);
      expectNoLeak(() => {
        const y = run(x);
        expect(y.shape).toEqual(shape);
        expect(take(y)).toEqual([]);
        const dx = tf.grad(run)(x);
        expect(dx.shape).toEqual(shape);
        expect(take(dx)).toEqual([]);
      });
      x.dispose();
    });
  }

  it('batchNorm training on an empty batch leaves the running statistics unchanged', () => {
    const x = tf.zeros([0, 3]);
    const r = batchNorm(x, [1, 2, 3], [4, 5, 6], null, null, {training: true, momentum: 0.5});
    expect(r.y.shape).toEqual([0, 3]);
    expect(take(r.runningMean)).toEqual([1, 2, 3]);
    expect(take(r.runningVar)).toEqual([4, 5, 6]);
    r.y.dispose();
    x.dispose();
  });

  it('layerNorm over an empty normalized block gives an empty y and NaN mean/variance (0/0)',
     () => {
       const x = tf.zeros([2, 0]);
       const r = layerNorm(x, [], [], {beginNormAxis: 1, beginParamsAxis: 1});
       expect(r.y.shape).toEqual([2, 0]);
       expect(r.mean.shape).toEqual([2, 1]);
       expect(take(r.mean)).toEqual([NaN, NaN]);
       expect(take(r.variance)).toEqual([NaN, NaN]);
       r.y.dispose();
       x.dispose();
     });

  it('every layer maps an empty batch to an empty output; BatchNorm keeps its moving stats', () => {
    const cases: Array<[tfl.layers.Layer, number[]]> = [
      [layers.l2Normalize({axis: 1}), [0, 3]],
      [layers.lrn({depthRadius: 1}), [0, 3, 2, 2]],
      [layers.groupNorm({numGroups: 1, numChannels: 3}), [0, 3, 2]],
      [layers.batchNorm1d({numFeatures: 3, movingMeanInit: [1, 2, 3]}), [0, 3]],
      [layers.batchNorm2d({numFeatures: 3, movingVarInit: [4, 5, 6]}), [0, 3, 2, 2]],
      [layers.layerNorm({normalizedShape: [3]}), [0, 3]],
      [layers.instanceNorm1d({numFeatures: 3}), [0, 3, 2]],
    ];
    for (const [layer, shape] of cases) {
      const x = tf.zeros(shape);
      for (const training of [true, false]) {
        const y = layer.apply(x, {training}) as tf.Tensor;
        expect(y.shape).toEqual(shape);
        y.dispose();
      }
      x.dispose();
    }
    const bn1 = cases[3][0].getWeights().map(w => Array.from(w.dataSync()));
    expect(bn1).toEqual([[1, 1, 1], [0, 0, 0], [1, 2, 3], [1, 1, 1]]);
    const bn2 = cases[4][0].getWeights().map(w => Array.from(w.dataSync()));
    expect(bn2).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [4, 5, 6]]);
    cases.forEach(([layer]) => layer.dispose());
  });
});

// ---------------------------------------------------------------------------

describe('size-1 reductions', () => {
  it('batchNorm training with one value per channel: unbiased update leaves the running ' +
         'variance unchanged; the mean still updates; y = beta',
     () => {
       const x = tf.tensor([[1, -2, 3]]);
       const r = expectNoLeak(() => {
         const out = batchNorm(x, [0.5, 0.5, 0.5], [2, 3, 4], [2, 2, 2], [0.1, 0.2, 0.3],
             {training: true, momentum: 0.1});
         return {y: take(out.y), mean: take(out.runningMean), variance: take(out.runningVar)};
       });
       expectClose(r.y, [0.1, 0.2, 0.3], 1e-7);
       expectClose(r.mean, [0.55, 0.25, 0.75], 1e-7);
       expect(r.variance).toEqual([2, 3, 4]);
       x.dispose();
     });

  it('batchNorm training with one value per channel and varianceUpdate \'biased\' ' +
         'shrinks the running variance towards 0',
     () => {
       const x = tf.tensor([[1, -2, 3]]);
       const r = batchNorm(
           x, [0, 0, 0], [2, 3, 4], null, null,
           {training: true, momentum: 0.1, varianceUpdate: 'biased'});
       expectClose(take(r.runningVar), [1.8, 2.7, 3.6], 1e-6);
       tf.dispose([r.y, r.runningMean]);
       x.dispose();
     });

  it('BatchNorm1d layer trained on single samples: moving variance stays at its init, ' +
         'moving mean follows momentum 0.9, output is beta',
     () => {
       const layer = layers.batchNorm1d({numFeatures: 3, betaInit: [0.5, 0, -0.5]});
       const mean = new Float64Array(3);
       for (const sample of [[1, 2, 3], [-4, 0, 8]]) {
         const x = tf.tensor([sample]);
         const y = layer.apply(x, {training: true}) as tf.Tensor;
         expectClose(take(y), [0.5, 0, -0.5], 1e-7);
         sample.forEach((v, c) => mean[c] = 0.9 * mean[c] + 0.1 * v);
         x.dispose();
       }
       const [, , movingMean, movingVar] = layer.getWeights().map(w => Array.from(w.dataSync()));
       expectClose(movingMean, mean, 1e-6);
       expect(movingVar).toEqual([1, 1, 1]);
       layer.dispose();
     });

  it('batchNorm training gradient with one value per channel: dx = 0, dgamma = 0, dbeta = dy',
     () => {
       const x = tf.tensor([[1, -2, 3]]);
       const w = tf.tensor([2, 3, 4]);
       const b = tf.zeros([3]);
       const dy = tf.tensor([[1, 2, 3]]);
       const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
           take2(batchNorm(xx, [0, 0, 0], [1, 1, 1], ww, bb, {training: true}));
       const [dx, dw, db] = expectNoLeak(() => tf.grads(f)([x, w, b], dy).map(take));
       expectClose(dx, [0, 0, 0], 0);
       expectClose(dw, [0, 0, 0], 0);
       expectClose(db, [1, 2, 3], 0);
       tf.dispose([x, w, b, dy]);
     });

  it('groupNorm with one value per group, instanceNorm with length 1 and layerNorm over one ' +
         'element output beta (zero deviation, variance 0)',
     () => {
       const x3 = tf.tensor([[[5], [-7], [1e6]]]);
       expectClose(take(groupNorm(x3, 3, [2, 2, 2], [0.1, 0.2, 0.3])), [0.1, 0.2, 0.3], 1e-7);
       expectClose(take(instanceNorm(x3, [2, 2, 2], [0.1, 0.2, 0.3])), [0.1, 0.2, 0.3], 1e-7);
       const x2 = tf.tensor([[5], [-7]]);
       const r = layerNorm(x2, [3], [0.25]);
       expectClose(take(r.y), [0.25, 0.25], 1e-7);
       expectClose(take(r.mean), [5, -7], 0);
       expectClose(take(r.variance), [0, 0], 0);
       tf.dispose([x3, x2]);
     });

  it('l2Normalize over an axis of size 1 gives sign(x) where x^2 >= epsilon, x / sqrt(epsilon) ' +
         'below',
     () => {
       const y = take(l2Normalize([[3], [-0.5], [0.005], [0]], 1, 1e-4));
       expectClose(y, [1, -1, 0.5, 0], 1e-7);
     });

  it('lrn with a single channel is x / (bias + alpha * x^2)^beta', () => {
    const v = [2, -3];
    const y = take(lrn(tf.tensor(v, [1, 1, 2, 1]), 5, 1, 0.5, 0.75));
    expectClose(y, v.map(a => a / Math.pow(1 + 0.5 * a * a, 0.75)), 1e-6);
  });
});

// ---------------------------------------------------------------------------

describe('sums of squares beyond float32 (|x| ~ 1e20): float64 accumulation', () => {
  const big = (c: OpCase) => {
    const u = randomValues(sizeOf(c.shape), rng(20), -1, 1);
    return u.map(v => v * 1e20);
  };
  for (const c of opCases) {
    it(`${c.name} matches the float64 reference (x^2 ~ 1e40 > float32 max)`, () => {
      const x = big(c);
      expectClose(runOn(c, x), c.ref(x, c.shape), 1e-5, 1e-5);
    });
  }

  it('l2Normalize stays exact up to the float32 maximum', () => {
    const y = take(l2Normalize([FLOAT32_MAX, -FLOAT32_MAX], 0));
    expectClose(y, [Math.SQRT1_2, -Math.SQRT1_2], 1e-7);
    expectClose(take(groupNorm([[[FLOAT32_MAX, -FLOAT32_MAX]]], 1)), [1, -1], 1e-5);
  });

  it('l2Normalize gradient at |x| ~ 1e20 equals (dy - y * sum(y * dy)) / norm', () => {
    const xv = [1e20, -2e20, 2e20];
    const dyv = [1, 2, 3];
    const norm = 3e20;
    const yv = xv.map(v => v / norm);
    const dot = yv.reduce((s, v, i) => s + v * dyv[i], 0);
    const x = tf.tensor(xv);
    const dy = tf.tensor(dyv);
    const dx = take(tf.grad((t: tf.Tensor) => l2Normalize(t, 0))(x, dy));
    expectClose(dx, dyv.map((d, i) => (d - yv[i] * dot) / norm), 0, 1e-5);
    tf.dispose([x, dy]);
  });

  it('statistics returned as float32 overflow to Infinity: batchNorm running variance and ' +
         'layerNorm variance (y stays exact)',
     () => {
       const xv = [1e20, -1e20, 3e20, -3e20];  // mean 0, biased variance 5e40
       const x = tf.tensor(xv, [4, 1]);
       const r = batchNorm(x, [0], [1], null, null, {training: true, momentum: 0.1});
       expectClose(take(r.y), xv.map(v => v / Math.sqrt(5e40)), 1e-6);
       expect(take(r.runningMean)).toEqual([0]);
       expect(take(r.runningVar)).toEqual([Infinity]);
       const ln = layerNorm(tf.reshape(x, [1, 4]), ones(4), zeros(4));
       expectClose(take(ln.y), xv.map(v => v / Math.sqrt(5e40)), 1e-6);
       expect(take(ln.mean)).toEqual([0]);
       expect(take(ln.variance)).toEqual([Infinity]);
       x.dispose();
     });
});

describe('the PyTorch contrast ops compute with float32 tfjs ops', () => {
  it('torchNormalize and torchLocalResponseNorm overflow at |x| ~ 1e20: the squares are ' +
         'Infinity and the output is 0',
     () => {
       expect(take(torchNormalize([[1e20, 2e20, 2e20]]))).toEqual([0, 0, 0]);
       expect(take(torchLocalResponseNorm(tf.tensor([1e20, 2e20], [1, 2, 1]), 2, 1, 0.5)))
           .toEqual([0, 0]);
     });

  it('torchNormalize at |x| ~ 1e-30 clamps the norm to eps: x / 1e-12', () => {
    expectClose(take(torchNormalize([[1e-30, 2e-30, 2e-30]])), [1e-18, 2e-18, 2e-18], 0, 1e-6);
  });
});

describe('squares below float32 (|x| ~ 1e-30): no underflow inside the kernels', () => {
  const tiny = (c: OpCase) => {
    const u = randomValues(sizeOf(c.shape), rng(30), -1, 1);
    return u.map(v => v * 1e-30);
  };
  for (const c of opCases) {
    it(`${c.name} matches the float64 reference (x^2 ~ 1e-60 < float32 min)`, () => {
      const x = tiny(c);
      expectClose(runOn(c, x), c.ref(x, c.shape), 1e-36, 1e-5);
    });
  }

  it('l2Normalize: the default epsilon clamps (x / 1e-2); epsilon 1e-70 gives the unit vector',
     () => {
       expectClose(take(l2Normalize([1e-30, 2e-30, -2e-30])), [1e-28, 2e-28, -2e-28], 0, 1e-6);
       expectClose(take(l2Normalize([1e-30, 2e-30, -2e-30], 0, 1e-70)), [1 / 3, 2 / 3, -2 / 3],
           1e-7);
     });

  it('layerNorm with epsilon 0 standardizes 1e-30-sized rows exactly; its float32 variance ' +
         'output underflows to 0',
     () => {
       const xv = [1e-30, -1e-30, 3e-30, -3e-30];
       const r = layerNorm(tf.tensor([xv]), ones(4), zeros(4), {epsilon: 0});
       expectClose(take(r.y), xv.map(v => v / Math.sqrt(5e-60)), 1e-6);
       expect(take(r.variance)).toEqual([0]);
       take(r.mean);
     });
});

// ---------------------------------------------------------------------------

describe('large mean, small variance (no catastrophic cancellation)', () => {
  const statsOps = opCases.filter(c => !/l2Normalize|lrn|inference/.test(c.name));
  for (const offset of [1e4, 1e6]) {
    for (const c of statsOps) {
      it(`${c.name} on ${offset} + U(-1, 1) matches the float64 reference to 1e-5`, () => {
        const x = randomValues(sizeOf(c.shape), rng(4), offset - 1, offset + 1);
        expectClose(runOn(c, x), c.ref(x, c.shape), 1e-5, 1e-5);
      });
    }
  }

  it('batchNorm running statistics on 1e4 + noise match the float64 update', () => {
    const shape = [8, 2];
    const xv = randomValues(16, rng(5), 1e4 - 0.5, 1e4 + 0.5);
    const r = batchNorm(tf.tensor(xv, shape), zeros(2), ones(2), null, null,
        {training: true, momentum: 0.1});
    const ref = runningStatsRef([xv], shape, 1, zeros(2), ones(2), 0.1, 'unbiased');
    take(r.y);
    expectClose(take(r.runningMean), ref.mean, 0, 1e-7);
    expectClose(take(r.runningVar), ref.variance, 0, 1e-6);
  });
});

// ---------------------------------------------------------------------------

describe('NaN and Infinity propagate only to the slice they belong to', () => {
  for (const c of opCases) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      it(`${c.name}: ${bad} reaches only its ${c.name.includes('inference') ? 'element' :
                                                    'slice'}`,
         () => {
           const size = sizeOf(c.shape);
           const x = Array.from(randomValues(size, rng(7), -2, 2));
           const at = 5;
           x[at] = bad;
           const y = runOn(c, x);
           const expected = c.ref(x, c.shape);
           for (let j = 0; j < size; j++) {
             if (!c.reaches(at, j, c.shape)) {
               expect(Number.isFinite(y[j])).toBe(true);
             }
           }
           // Inside the slice too, the values follow IEEE arithmetic of the formula.
           expectClose(y, expected, 1e-5, 1e-5);
           expect(y.some(v => !Number.isFinite(v))).toBe(true);
         });
    }
  }

  it('batchNorm training: a NaN makes only its channel\'s running statistics NaN', () => {
    const xv = Array.from(randomValues(8, rng(8)));
    xv[5] = NaN;  // shape [4, 2]: channel 1
    const r = batchNorm(tf.tensor(xv, [4, 2]), zeros(2), ones(2), null, null, {training: true});
    const mean = take(r.runningMean);
    const variance = take(r.runningVar);
    take(r.y);
    expect(Number.isNaN(mean[1]) && Number.isNaN(variance[1])).toBe(true);
    const ref = runningStatsRef([xv.map((v, i) => (i % 2 === 0 ? v : 0))], [4, 2], 1, zeros(2),
        ones(2), 0.1, 'unbiased');
    expectClose([mean[0], variance[0]], [ref.mean[0], ref.variance[0]], 1e-6);
  });

  it('groupNorm gradient: a NaN input makes only its group\'s dx NaN', () => {
    const xv = Array.from(randomValues(8, rng(9)));
    xv[0] = NaN;  // shape [1, 4, 2], 2 groups: group 0 is x[0..3]
    const x = tf.tensor(xv, [1, 4, 2]);
    const dy = tf.tensor(Array.from(randomValues(8, rng(10))), [1, 4, 2]);
    const dx = take(tf.grad((t: tf.Tensor) => groupNorm(t, 2))(x, dy));
    expect(dx.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(dx.slice(4).every(Number.isFinite)).toBe(true);
    tf.dispose([x, dy]);
  });
});

// ---------------------------------------------------------------------------

describe('float16-range values (|x| up to 65504, down to 6e-8)', () => {
  const half = [65504, -65504, 6.1035e-5, -5.96e-8, 1, -2, 0.5, 1000];
  for (const c of opCases) {
    it(`${c.name} matches the float64 reference`, () => {
      const x = Array.from({length: sizeOf(c.shape)}, (_, i) => half[(i * 3) % half.length]);
      expectClose(runOn(c, x), c.ref(x, c.shape), 1e-6, 1e-5);
    });
  }
});

// ---------------------------------------------------------------------------

describe('very large depthRadius', () => {
  const shape = [2, 5, 2, 1];
  const xv = randomValues(sizeOf(shape), rng(11), -2, 2);
  const dyv = randomValues(sizeOf(shape), rng(12), -1, 1);
  // With C = 5, any radius >= 4 covers every channel: the float64 reference at radius 4.
  const all = lrnRef(xv, shape, 4, 1, 0.3, 0.75);
  const dxAll = centralDiff(v => lrnRef(v, shape, 4, 1, 0.3, 0.75), xv, dyv);
  for (const r of [4, 5, 1000, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER]) {
    it(`depthRadius ${r} >= C - 1 sums every channel (output and gradient as float64 at radius 4)`,
       () => {
         const x = tf.tensor(xv, shape);
         const dy = tf.tensor(dyv, shape);
         const f = (t: tf.Tensor) => lrn(t, r, 1, 0.3, 0.75);
         expectClose(take(f(x)), all, 1e-6, 1e-6);
         expectClose(take(tf.grad(f)(x, dy)), dxAll, 1e-5, 1e-4);
         tf.dispose([x, dy]);
       });
  }
});

// ---------------------------------------------------------------------------

describe('degenerate inputs', () => {
  it('groupNorm, instanceNorm, layerNorm and batchNorm training of a constant input give beta',
     () => {
       const x = tf.fill([2, 4, 3], 7.5);
       expectClose(take(groupNorm(x, 2, gamma4, beta4)),
           Array.from({length: 24}, (_, i) => beta4[Math.floor(i / 3) % 4]), 1e-6);
       expectClose(take(instanceNorm(x, gamma4, beta4)),
           Array.from({length: 24}, (_, i) => beta4[Math.floor(i / 3) % 4]), 1e-6);
       expectClose(take(take2(batchNorm(x, zeros(4), ones(4), gamma4, beta4, {training: true}))),
           Array.from({length: 24}, (_, i) => beta4[Math.floor(i / 3) % 4]), 1e-6);
       const ln = layerNorm(tf.fill([2, 4], 7.5), gamma4, beta4);
       expectClose(take(ln.y), [...beta4, ...beta4], 1e-6);
       tf.dispose([ln.mean, ln.variance, x]);
     });

  it('l2Normalize of zeros is zeros (the sum is clamped to epsilon)', () => {
    expect(take(l2Normalize([[0, 0], [0, 0]], 1))).toEqual([0, 0, 0, 0]);
  });

  it('layerNorm with epsilon 0 on a constant row gives NaN (0 / 0), as the formula', () => {
    const r = layerNorm([[2, 2], [1, 3]], [1, 1], [0, 0], {epsilon: 0});
    const y = take(r.y);
    expect(y.slice(0, 2).every(Number.isNaN)).toBe(true);
    expectClose(y.slice(2), [-1, 1], 1e-7);
    tf.dispose([r.mean, r.variance]);
  });

  it('lrn with bias 0 on an all-zero window gives NaN (0 * 0^-beta); negative bases give NaN ' +
         'for non-integer beta',
     () => {
       expect(take(lrn(tf.zeros([1, 2, 1, 1]), 1, 0, 1, 0.5)).every(Number.isNaN)).toBe(true);
       const y = take(lrn(tf.tensor([1, 2], [1, 2, 1, 1]), 0, -10, 1, 0.5));
       expect(y.every(Number.isNaN)).toBe(true);
       const z = take(lrn(tf.tensor([1, 2], [1, 2, 1, 1]), 0, -10, 1, 1));
       expectClose(z, [1 / -9, 2 / -6], 1e-7);
     });

  it('batchNorm inference with an infinite running variance outputs beta', () => {
    const r = batchNorm([[3, 4]], [0, 0], [Infinity, 1], [2, 2], [0.5, 0.5]);
    expectClose(take(r.y), [0.5, 4 * 2 / Math.sqrt(1 + 1e-5) + 0.5], 1e-6);
    tf.dispose([r.runningMean, r.runningVar]);
  });
});
