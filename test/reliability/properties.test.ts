// SPDX-License-Identifier: Apache-2.0
/**
 * Property-based tests (fast-check): random shapes, axes and arguments for
 * every op against the float64 references of test_util (SEMANTICS.md's
 * formulas), gradients against float64 central differences, and invariants
 * (unit norm, zero mean / known variance per group or channel, scaling
 * invariance).
 *
 * The seed is fixed so CI is reproducible; override it and the number of runs
 * from the environment:
 *   FC_SEED=123 FC_RUNS=2000 npx jest test/reliability/properties
 *   npm run test:props          (FC_RUNS=2000)
 * A failure prints the seed and the shrunk counterexample.
 */
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';

import {batchNorm, groupNorm, instanceNorm, l2Normalize, layerNorm, lrn} from '../../src';
import {batchNormRef, centralDiff, coordsOf, expectClose, expectNoLeak, groupNormRef, instanceNormRef, l2NormalizeRef, layerNormRef, lrnRef, randomValues, rng, runningStatsRef, sizeOf, take} from '../test_util';

const SEED = Number(process.env.FC_SEED ?? 20250607);
const RUNS = Number(process.env.FC_RUNS ?? 100);
fc.configureGlobal({seed: SEED, numRuns: RUNS});
/** Gradient properties cost O(size^2) in the references: a quarter of the runs. */
const GRAD_RUNS = {numRuns: Math.max(1, Math.round(RUNS / 4))};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---------------------------------------------------------------------------
// Arbitraries

/** A shape of rank in [minRank, maxRank], dims in [minDim, maxDim], at most maxSize elements. */
function shapeArb(minRank: number, maxRank: number, maxDim = 4, maxSize = 64, minDim = 1):
    fc.Arbitrary<number[]> {
  return fc.array(fc.integer({min: minDim, max: maxDim}), {minLength: minRank, maxLength: maxRank})
      .filter(s => sizeOf(s) <= maxSize);
}

/**
 * float32 values, including fast-check's edge cases (0, -0, subnormals, the
 * bounds), so the kernels meet values a uniform generator would never give.
 */
function valuesArb(size: number, lo = -4, hi = 4): fc.Arbitrary<Float32Array> {
  return fc.array(fc.float({min: Math.fround(lo), max: Math.fround(hi), noNaN: true}),
                  {minLength: size, maxLength: size})
      .map(v => Float32Array.from(v));
}

/** A positive epsilon spanning the practical range. */
const epsArb = fc.constantFrom(1e-12, 1e-7, 1e-5, 1e-3, 0.5);

/** Affine parameters in [0.25, 2] and [-1, 1]. */
function paramsArb(size: number) {
  return fc.record({gamma: valuesArb(size, 0.25, 2), beta: valuesArb(size, -1, 1)});
}

/** Runs fn with the given float32 tensors, takes its output values, checks for leaks. */
function run(shapes: number[][], values: ArrayLike<number>[],
             fn: (...t: tf.Tensor[]) => tf.Tensor): number[] {
  const ts = values.map((v, i) => tf.tensor(Float32Array.from(v), shapes[i]));
  const out = expectNoLeak(() => take(fn(...ts)));
  tf.dispose(ts);
  return out;
}

/** Indices of x grouped by the key of each index (a slice, group or channel). */
function groupsBy(shape: number[], key: (coords: number[]) => string): number[][] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < sizeOf(shape); i++) {
    const k = key(coordsOf(i, shape));
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  return [...groups.values()];
}

function momentsOf(v: ArrayLike<number>, idx: number[]): {mean: number, variance: number} {
  const mean = idx.reduce((s, i) => s + v[i], 0) / idx.length;
  const variance = idx.reduce((s, i) => s + (v[i] - mean) ** 2, 0) / idx.length;
  return {mean, variance};
}

/**
 * The standardization invariant with gamma = 1, beta = 0: every group of the
 * output has mean 0 and biased variance v / (v + eps), v the group's input
 * variance (so ~1 when v >> eps).
 */
function expectStandardized(
    x: ArrayLike<number>, y: ArrayLike<number>, groups: number[][], eps: number): void {
  for (const idx of groups) {
    const v = momentsOf(x, idx).variance;
    const out = momentsOf(y, idx);
    expect(Math.abs(out.mean)).toBeLessThan(1e-5);
    expect(Math.abs(out.variance - v / (v + eps))).toBeLessThan(1e-5);
  }
}

/** 2^j: scaling by it is exact in float32, so only eps makes normalize(kx) differ. */
const powerOfTwoArb = fc.integer({min: -8, max: 8}).map(j => 2 ** j);

// ---------------------------------------------------------------------------

describe('l2Normalize properties', () => {
  const caseArb = shapeArb(1, 4).chain(shape => fc.record({
    shape: fc.constant(shape),
    axes: fc.subarray(shape.map((_, d) => d), {minLength: 1}),
    negative: fc.boolean(),
    epsilon: epsArb,
    x: valuesArb(sizeOf(shape), -2, 2),
  }));

  it('matches the float64 reference for random shapes, axes (or lists of axes) and epsilon', () => {
    fc.assert(fc.property(caseArb, ({shape, axes, negative, epsilon, x}) => {
      // Axes as given by a user: one int or a list, possibly negative.
      const given = axes.map(a => (negative ? a - shape.length : a));
      const axis = given.length === 1 ? given[0] : given;
      const y = run([shape], [x], t => l2Normalize(t, axis, epsilon));
      expectClose(y, l2NormalizeRef(x, shape, axes, epsilon), 1e-6, 1e-5);
    }));
  });

  it('has unit norm where sum(x^2) >= epsilon and norm sqrt(sum / epsilon) below', () => {
    fc.assert(fc.property(caseArb, ({shape, axes, epsilon, x}) => {
      const y = run([shape], [x], t => l2Normalize(t, axes, epsilon));
      const slices = groupsBy(shape, c => c.map((v, d) => (axes.includes(d) ? 0 : v)).join());
      for (const idx of slices) {
        const sum = idx.reduce((s, i) => s + x[i] * x[i], 0);
        const norm2 = idx.reduce((s, i) => s + y[i] * y[i], 0);
        expect(Math.abs(norm2 - (sum >= epsilon ? 1 : sum / epsilon))).toBeLessThan(1e-5);
      }
    }));
  });

  it('is invariant to scaling x by 2^j where the clamp is inactive', () => {
    fc.assert(fc.property(caseArb, powerOfTwoArb, ({shape, axes, x}, k) => {
      const epsilon = 1e-30;  // sums here are 0 or far above it once subnormals are removed
      const xs = x.map(v => (Math.abs(v) < 1e-6 ? 0 : v));
      const y = run([shape], [xs], t => l2Normalize(t, axes, epsilon));
      const yk = run([shape], [xs.map(v => v * k)], t => l2Normalize(t, axes, epsilon));
      expectClose(yk, y, 1e-6, 1e-5);
    }));
  });

  it('gradient matches float64 central differences', () => {
    fc.assert(fc.property(shapeArb(1, 3, 4, 24), fc.nat(), fc.nat(), (shape, axisSeed, seed) => {
      const axis = axisSeed % shape.length;
      const next = rng(seed);
      const x = randomValues(sizeOf(shape), next, -2, 2);
      const dy = randomValues(sizeOf(shape), next);
      const dx = gradOf(shape, x, dy, t => l2Normalize(t, axis, 1e-4));
      expectClose(dx, centralDiff(v => l2NormalizeRef(v, shape, [axis], 1e-4), x, dy), 1e-4,
          1e-3);
    }), GRAD_RUNS);
  });
});

describe('lrn properties', () => {
  const caseArb = fc.record({
    shape: shapeArb(4, 4, 5, 64),
    depthRadius: fc.integer({min: 0, max: 6}),
    bias: fc.constantFrom(0.5, 1, 2),
    alpha: fc.constantFrom(1e-4, 0.1, 1),
    beta: fc.constantFrom(0.25, 0.5, 0.75, 1, 1.5),
  }).chain(a => fc.record({args: fc.constant(a), x: valuesArb(sizeOf(a.shape), -3, 3)}));

  it('matches the float64 reference for random shapes, radii, bias, alpha and beta', () => {
    fc.assert(fc.property(caseArb, ({args: {shape, depthRadius, bias, alpha, beta}, x}) => {
      const y = run([shape], [x], t => lrn(t, depthRadius, bias, alpha, beta));
      expectClose(y, lrnRef(x, shape, depthRadius, bias, alpha, beta), 1e-6, 1e-5);
    }));
  });

  it('gradient matches float64 central differences', () => {
    fc.assert(fc.property(shapeArb(4, 4, 3, 24), fc.integer({min: 0, max: 3}), fc.nat(),
        (shape, r, seed) => {
          const next = rng(seed);
          const x = randomValues(sizeOf(shape), next, -2, 2);
          const dy = randomValues(sizeOf(shape), next);
          const dx = gradOf(shape, x, dy, t => lrn(t, r, 1, 0.2, 0.75));
          expectClose(dx, centralDiff(v => lrnRef(v, shape, r, 1, 0.2, 0.75), x, dy), 1e-4, 1e-3);
        }), GRAD_RUNS);
  });
});

// ---------------------------------------------------------------------------
// GroupNorm

/** (N, C, *) with C = numGroups * perGroup. */
const groupShapeArb = fc.record({
  n: fc.integer({min: 1, max: 3}),
  groups: fc.integer({min: 1, max: 4}),
  perGroup: fc.integer({min: 1, max: 3}),
  spatial: shapeArb(0, 2, 3),
}).map(a => ({shape: [a.n, a.groups * a.perGroup, ...a.spatial], groups: a.groups}))
    .filter(a => sizeOf(a.shape) <= 64);

describe('groupNorm properties', () => {
  const caseArb = groupShapeArb.chain(g => fc.record({
    shape: fc.constant(g.shape),
    groups: fc.constant(g.groups),
    eps: epsArb,
    params: paramsArb(g.shape[1]),
    x: valuesArb(sizeOf(g.shape)),
  }));

  it('matches the float64 reference for random shapes, group counts, eps, gamma and beta', () => {
    fc.assert(fc.property(caseArb, ({shape, groups, eps, params, x}) => {
      const y = run([shape, [shape[1]], [shape[1]]], [x, params.gamma, params.beta],
          (t, g, b) => groupNorm(t, groups, g, b, eps));
      expectClose(y, groupNormRef(x, shape, groups, params.gamma, params.beta, eps), 1e-5, 1e-5);
    }));
  });

  it('output has mean 0 and variance v / (v + eps) per (sample, group)', () => {
    fc.assert(fc.property(caseArb, ({shape, groups, eps, x}) => {
      const y = run([shape], [x], t => groupNorm(t, groups, null, null, eps));
      const per = shape[1] / groups;
      expectStandardized(x, y, groupsBy(shape, c => `${c[0]},${Math.floor(c[1] / per)}`), eps);
    }));
  });

  it('is invariant to scaling x by 2^j up to the eps term', () => {
    fc.assert(fc.property(caseArb, powerOfTwoArb, ({shape, groups, x}, k) => {
      const eps = 1e-12;
      const per = shape[1] / groups;
      const y = run([shape], [x], t => groupNorm(t, groups, null, null, eps));
      const yk = run([shape], [x.map(v => v * k)], t => groupNorm(t, groups, null, null, eps));
      expectScaleInvariant(x, k, y, yk, groupsBy(shape, c => `${c[0]},${Math.floor(c[1] / per)}`),
          eps);
    }));
  });

  it('gradients (x, gamma, beta) match float64 central differences', () => {
    fc.assert(fc.property(groupShapeArb.filter(g => sizeOf(g.shape) <= 24), fc.nat(),
        ({shape, groups}, seed) => expectChannelAffineGradsClose(shape, seed,
            (t, g, b) => groupNorm(t, groups, g, b, 1e-5),
            (xv, g, b) => groupNormRef(xv, shape, groups, g, b, 1e-5))), GRAD_RUNS);
  });
});

// ---------------------------------------------------------------------------
// BatchNorm

const batchShapeArb = fc.record({
  shape: shapeArb(2, 4, 4, 64),
  nhwc: fc.boolean(),
}).map(a => ({shape: a.shape, axis: a.nhwc ? a.shape.length - 1 : 1,
              dataFormat: (a.nhwc ? 'NHWC' : 'NCHW') as 'NHWC' | 'NCHW'}));

describe('batchNorm properties', () => {
  const caseArb = batchShapeArb.chain(b => fc.record({
    b: fc.constant(b),
    eps: epsArb,
    momentum: fc.double({min: 0, max: 1, noNaN: true}),
    varianceUpdate: fc.constantFrom('unbiased' as const, 'biased' as const),
    params: paramsArb(b.shape[b.axis]),
    stats: fc.record({
      mean: valuesArb(b.shape[b.axis], -1, 1),
      variance: valuesArb(b.shape[b.axis], 0.25, 4),
    }),
    x: valuesArb(sizeOf(b.shape)),
  }));

  it('training matches the float64 reference, running statistics included', () => {
    fc.assert(fc.property(caseArb, ({b, eps, momentum, varianceUpdate, params, stats, x}) => {
      const c = b.shape[b.axis];
      const ts = [tf.tensor(x, b.shape), ...[stats.mean, stats.variance, params.gamma,
                                             params.beta].map(v => tf.tensor(v, [c]))];
      const out = expectNoLeak(() => {
        const r = batchNorm(ts[0], ts[1], ts[2], ts[3], ts[4],
            {training: true, eps, momentum, varianceUpdate, dataFormat: b.dataFormat});
        return {y: take(r.y), mean: take(r.runningMean), variance: take(r.runningVar)};
      });
      tf.dispose(ts);
      const args = {axis: b.axis, training: true, runningMean: stats.mean,
                    runningVar: stats.variance, gamma: params.gamma, beta: params.beta, eps};
      expectClose(out.y, batchNormRef(x, b.shape, args), 1e-5, 1e-5);
      const running = runningStatsRef([x], b.shape, b.axis, stats.mean, stats.variance,
          Math.fround(momentum), varianceUpdate);
      expectClose(out.mean, running.mean, 1e-6, 1e-5);
      expectClose(out.variance, running.variance, 1e-6, 1e-5);
    }));
  });

  it('inference matches the float64 reference and returns the running statistics unchanged',
     () => {
       fc.assert(fc.property(caseArb, ({b, eps, params, stats, x}) => {
         const c = b.shape[b.axis];
         const ts = [tf.tensor(x, b.shape), ...[stats.mean, stats.variance, params.gamma,
                                                params.beta].map(v => tf.tensor(v, [c]))];
         const out = expectNoLeak(() => {
           const r = batchNorm(ts[0], ts[1], ts[2], ts[3], ts[4], {eps, dataFormat: b.dataFormat});
           return {y: take(r.y), mean: take(r.runningMean), variance: take(r.runningVar)};
         });
         tf.dispose(ts);
         const args = {axis: b.axis, training: false, runningMean: stats.mean,
                       runningVar: stats.variance, gamma: params.gamma, beta: params.beta, eps};
         expectClose(out.y, batchNormRef(x, b.shape, args), 1e-5, 1e-5);
         expect(out.mean).toEqual(Array.from(stats.mean));
         expect(out.variance).toEqual(Array.from(stats.variance));
       }));
     });

  it('training output has mean 0 and variance v / (v + eps) per channel', () => {
    fc.assert(fc.property(caseArb, ({b, eps, x}) => {
      const c = b.shape[b.axis];
      const y = run([b.shape], [x], t => trainingY(t, c, b.dataFormat, eps));
      expectStandardized(x, y, groupsBy(b.shape, co => String(co[b.axis])), eps);
    }));
  });

  it('training is invariant to scaling x by 2^j up to the eps term', () => {
    fc.assert(fc.property(caseArb, powerOfTwoArb, ({b, x}, k) => {
      const c = b.shape[b.axis];
      const eps = 1e-12;
      const y = run([b.shape], [x], t => trainingY(t, c, b.dataFormat, eps));
      const yk = run([b.shape], [x.map(v => v * k)], t => trainingY(t, c, b.dataFormat, eps));
      expectScaleInvariant(x, k, y, yk, groupsBy(b.shape, co => String(co[b.axis])), eps);
    }));
  });

  it('gradients (x, gamma, beta) in training and inference match float64 central differences',
     () => {
       fc.assert(fc.property(batchShapeArb.filter(b => sizeOf(b.shape) <= 24), fc.boolean(),
           fc.nat(), (b, training, seed) => {
             const next = rng(seed);
             const c = b.shape[b.axis];
             const x = randomValues(sizeOf(b.shape), next, -2, 2);
             const gamma = randomValues(c, next, 0.5, 2);
             const beta = randomValues(c, next);
             const mean = randomValues(c, next);
             const variance = randomValues(c, next, 0.5, 2);
             const dy = randomValues(sizeOf(b.shape), next);
             // One value per channel makes the training output constant (beta): skip M == 1.
             fc.pre(!training || sizeOf(b.shape) / c > 1);
             const ref = (xv: ArrayLike<number>, g: ArrayLike<number>, bv: ArrayLike<number>) =>
                 batchNormRef(xv, b.shape, {axis: b.axis, training, runningMean: mean,
                                            runningVar: variance, gamma: g, beta: bv, eps: 1e-5});
             const mt = tf.tensor(mean);
             const vt = tf.tensor(variance);
             expectGradsClose([b.shape, [c], [c]], [x, gamma, beta], dy, (t, g, bt) => {
               const r = batchNorm(t, mt, vt, g, bt, {training, dataFormat: b.dataFormat});
               tf.dispose([r.runningMean, r.runningVar]);
               return r.y;
             }, ref);
             tf.dispose([mt, vt]);
           }), GRAD_RUNS);
     });
});

function trainingY(x: tf.Tensor, c: number, dataFormat: 'NCHW'|'NHWC', eps: number): tf.Tensor {
  const r = batchNorm(x, new Array(c).fill(0), new Array(c).fill(1), null, null,
      {training: true, eps, dataFormat});
  tf.dispose([r.runningMean, r.runningVar]);
  return r.y;
}

// ---------------------------------------------------------------------------
// LayerNorm

describe('layerNorm properties', () => {
  const caseArb = shapeArb(1, 4).chain(shape => fc.record({
    shape: fc.constant(shape),
    bna: fc.integer({min: -1, max: shape.length - 1}),
    bpa: fc.integer({min: -1, max: shape.length - 1}),
    epsilon: epsArb,
  })).chain(a => {
    const pos = (v: number) => (v < 0 ? a.shape.length - 1 : v);
    const paramSize = sizeOf(a.shape.slice(pos(a.bpa)));
    return fc.record({
      a: fc.constant({...a, bnaPos: pos(a.bna), bpaPos: pos(a.bpa)}),
      params: paramsArb(paramSize),
      x: valuesArb(sizeOf(a.shape)),
    });
  });

  it('y, mean and variance match the float64 reference for random shapes and axes', () => {
    fc.assert(fc.property(caseArb, ({a, params, x}) => {
      const paramShape = a.shape.slice(a.bpaPos);
      const ts = [tf.tensor(x, a.shape), tf.tensor(params.gamma, paramShape),
                  tf.tensor(params.beta, paramShape)];
      const out = expectNoLeak(() => {
        const r = layerNorm(ts[0], ts[1], ts[2],
            {beginNormAxis: a.bna, beginParamsAxis: a.bpa, epsilon: a.epsilon});
        expect(r.mean.shape).toEqual(a.shape.map((d, i) => (i < a.bnaPos ? d : 1)));
        return {y: take(r.y), mean: take(r.mean), variance: take(r.variance)};
      });
      tf.dispose(ts);
      const ref = layerNormRef(x, a.shape, a.bnaPos, a.bpaPos, params.gamma, params.beta,
          a.epsilon);
      expectClose(out.y, ref.y, 1e-5, 1e-5);
      expectClose(out.mean, ref.mean, 1e-6, 1e-6);
      expectClose(out.variance, ref.variance, 1e-6, 1e-5);
    }));
  });

  it('output has mean 0 and variance v / (v + eps) over the normalized axes (gamma 1, beta 0)',
     () => {
       fc.assert(fc.property(caseArb, ({a, x}) => {
         const y = lnStandard(a.shape, a.bna, a.bpaPos, a.epsilon, x);
         expectStandardized(x, y, groupsBy(a.shape, c => c.slice(0, a.bnaPos).join()), a.epsilon);
       }));
     });

  it('is invariant to scaling x by 2^j up to the eps term', () => {
    fc.assert(fc.property(caseArb, powerOfTwoArb, ({a, x}, k) => {
      const eps = 1e-12;
      const y = lnStandard(a.shape, a.bna, a.bpaPos, eps, x);
      const yk = lnStandard(a.shape, a.bna, a.bpaPos, eps, x.map(v => v * k));
      expectScaleInvariant(x, k, y, yk, groupsBy(a.shape, c => c.slice(0, a.bnaPos).join()), eps);
    }));
  });

  it('gradients (x, gamma, beta) match float64 central differences', () => {
    const smallArb = shapeArb(1, 3, 4, 24).chain(shape => fc.record({
      shape: fc.constant(shape),
      bna: fc.integer({min: 0, max: shape.length - 1}),
      bpa: fc.integer({min: 0, max: shape.length - 1}),
      seed: fc.nat(),
    }));
    fc.assert(fc.property(smallArb, ({shape, bna, bpa, seed}) => {
      const next = rng(seed);
      const paramShape = shape.slice(bpa);
      const x = randomValues(sizeOf(shape), next, -2, 2);
      const gamma = randomValues(sizeOf(paramShape), next, 0.5, 2);
      const beta = randomValues(sizeOf(paramShape), next);
      const dy = randomValues(sizeOf(shape), next);
      // A single normalized value has a constant output: nothing to differentiate.
      fc.pre(sizeOf(shape.slice(bna)) > 1);
      const opts = {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: 1e-5};
      expectGradsClose([shape, paramShape, paramShape], [x, gamma, beta], dy,
          (t, g, b) => {
            const r = layerNorm(t, g, b, opts);
            tf.dispose([r.mean, r.variance]);
            return r.y;
          },
          (xv, g, b) => layerNormRef(xv, shape, bna, bpa, g, b, 1e-5).y);
    }), GRAD_RUNS);
  });
});

/** layerNorm y with gamma = 1, beta = 0. */
function lnStandard(shape: number[], bna: number, bpaPos: number, epsilon: number,
                   x: ArrayLike<number>): number[] {
  const paramShape = shape.slice(bpaPos);
  return run([shape], [x], t => tf.tidy(() => layerNorm(
      t, tf.ones(paramShape), tf.zeros(paramShape),
      {beginNormAxis: bna, beginParamsAxis: bpaPos, epsilon}).y));
}

// ---------------------------------------------------------------------------
// InstanceNorm

describe('instanceNorm properties', () => {
  const caseArb = shapeArb(3, 5, 3, 64).chain(shape => fc.record({
    shape: fc.constant(shape),
    eps: epsArb,
    params: paramsArb(shape[1]),
    x: valuesArb(sizeOf(shape)),
  }));

  it('matches the float64 reference for random (N, C, *) shapes, eps, gamma and beta', () => {
    fc.assert(fc.property(caseArb, ({shape, eps, params, x}) => {
      const y = run([shape, [shape[1]], [shape[1]]], [x, params.gamma, params.beta],
          (t, g, b) => instanceNorm(t, g, b, eps));
      expectClose(y, instanceNormRef(x, shape, params.gamma, params.beta, eps), 1e-5, 1e-5);
    }));
  });

  it('output has mean 0 and variance v / (v + eps) per (sample, channel)', () => {
    fc.assert(fc.property(caseArb, ({shape, eps, x}) => {
      const y = run([shape], [x], t => instanceNorm(t, null, null, eps));
      expectStandardized(x, y, groupsBy(shape, c => `${c[0]},${c[1]}`), eps);
    }));
  });

  it('is invariant to scaling x by 2^j up to the eps term', () => {
    fc.assert(fc.property(caseArb, powerOfTwoArb, ({shape, x}, k) => {
      const eps = 1e-12;
      const y = run([shape], [x], t => instanceNorm(t, null, null, eps));
      const yk = run([shape], [x.map(v => v * k)], t => instanceNorm(t, null, null, eps));
      expectScaleInvariant(x, k, y, yk, groupsBy(shape, c => `${c[0]},${c[1]}`), eps);
    }));
  });

  it('gradients (x, gamma, beta) match float64 central differences', () => {
    fc.assert(fc.property(shapeArb(3, 4, 3, 24, 1), fc.nat(), (shape, seed) => {
      fc.pre(sizeOf(shape.slice(2)) > 1);
      expectChannelAffineGradsClose(shape, seed, (t, g, b) => instanceNorm(t, g, b, 1e-5),
          (xv, g, b) => instanceNormRef(xv, shape, g, b, 1e-5));
    }), GRAD_RUNS);
  });
});

// ---------------------------------------------------------------------------
// Shared checks

/**
 * normalize(k * x) == normalize(x) wherever eps is negligible: for a group of
 * input variance v, the exact ratio is sqrt((v + eps / k^2) / (v + eps)).
 * Groups whose variance is within 1e6 * eps of 0 are compared against that
 * exact ratio instead of 1.
 */
function expectScaleInvariant(
    x: ArrayLike<number>, k: number, y: ArrayLike<number>, yk: ArrayLike<number>,
    groups: number[][], eps: number): void {
  for (const idx of groups) {
    const v = momentsOf(x, idx).variance;
    const ratio = Math.sqrt((v + eps) / (v + eps / (k * k)));
    expectClose(idx.map(i => yk[i]), idx.map(i => y[i] * ratio), 1e-5, 1e-5);
  }
}

/** dx of sum(f(x) * dy) through tf.grad. */
function gradOf(shape: number[], x: Float32Array, dy: Float32Array,
                f: (t: tf.Tensor) => tf.Tensor): number[] {
  const xt = tf.tensor(x, shape);
  const dyt = tf.tensor(dy, shape);
  const dx = expectNoLeak(() => take(tf.grad(f)(xt, dyt)));
  tf.dispose([xt, dyt]);
  return dx;
}

/**
 * expectGradsClose for an op with per-channel gamma and beta (channels on
 * axis 1), on seeded x in [-2, 2), gamma in [0.5, 2), beta and dy in [-1, 1).
 */
function expectChannelAffineGradsClose(
    shape: number[], seed: number, f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor,
    ref: (x: ArrayLike<number>, g: ArrayLike<number>, b: ArrayLike<number>) => ArrayLike<number>):
    void {
  const next = rng(seed);
  const c = shape[1];
  const x = randomValues(sizeOf(shape), next, -2, 2);
  const gamma = randomValues(c, next, 0.5, 2);
  const beta = randomValues(c, next);
  const dy = randomValues(sizeOf(shape), next);
  expectGradsClose([shape, [c], [c]], [x, gamma, beta], dy, f, ref);
}

/**
 * Gradients with respect to every input of a three-input op (x, gamma, beta)
 * against float64 central differences of the reference.
 */
function expectGradsClose(
    shapes: number[][], values: Float32Array[], dy: Float32Array,
    f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor,
    ref: (x: ArrayLike<number>, g: ArrayLike<number>, b: ArrayLike<number>) => ArrayLike<number>):
    void {
  const ts = values.map((v, i) => tf.tensor(v, shapes[i]));
  const dyt = tf.tensor(dy, shapes[0]);
  const grads = expectNoLeak(
      () => tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(x, g, b))(ts, dyt).map(take));
  tf.dispose([...ts, dyt]);
  values.forEach((v, k) => {
    const numeric = centralDiff(p => {
      const args = values.map((w, j) => (j === k ? p : w));
      return ref(args[0], args[1], args[2]);
    }, v, dy);
    expectClose(grads[k], numeric, 1e-4, 1e-3);
  });
}
