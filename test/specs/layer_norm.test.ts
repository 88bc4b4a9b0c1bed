// SPDX-License-Identifier: Apache-2.0
import {MsLayerNorm, MsLayerNormGrad} from '../../src/kernel_names';
import {affineInputs, centralDiff, expectClose, layerNormLayout, layerNormRef, normalizeGradRef, randomValues, rng, sizeOf} from '../test_util';
import type {LayerNormOptions} from '../../src';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';

interface LayerNormCase {
  shape: number[];
  bna: number;
  bpa: number;
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
}

function randomCase(shape: number[], bna: number, bpa: number, seed: number): LayerNormCase {
  return {shape, bna, bpa, ...affineInputs(shape, sizeOf(shape.slice(bpa)), seed)};
}

const EPS = 1e-7;

function lnRun(c: LayerNormCase): Run<KernelRun> {
  const paramShape = c.shape.slice(c.bpa);
  return {
    kernel: MsLayerNorm,
    inputs: {x: spec(c.x, c.shape), gamma: spec(c.gamma, paramShape), beta: spec(c.beta, paramShape)},
    attrs: {beginNormAxis: c.bna, beginParamsAxis: c.bpa, epsilon: EPS},
  };
}

function ref(c: LayerNormCase, x: ArrayLike<number> = c.x, gamma: ArrayLike<number> = c.gamma,
             beta: ArrayLike<number> = c.beta) {
  return layerNormRef(x, c.shape, c.bna, c.bpa, gamma, beta, EPS);
}

describeEachBackend('MsLayerNorm', b => {
  // [shape, bna, bpa]: parameters after, at and before the normalized axes;
  // the whole tensor as one row; a long row that takes window stages.
  const cases: Array<[number[], number, number]> = [
    [[2, 3, 4], 1, 1],
    [[2, 3, 4], 2, 1],
    [[2, 3, 4], 1, 2],
    [[4, 5], 1, 1],
    [[2, 3, 2, 2], 0, 0],
    [[2, 64, 64], 1, 2],
  ];
  for (const [shape, bna, bpa] of cases) {
    it(`matches float64 (y, mean, variance) for [${shape}], bna ${bna}, bpa ${bpa}`,
       async () => {
         const c = randomCase(shape, bna, bpa, sizeOf(shape) + 10 * bna + bpa);
         const expected = ref(c);
         const [y, mean, variance] = await b.runKernel(lnRun(c));
         const statsShape = shape.map((d, i) => (i < bna ? d : 1));
         expect([y.shape, mean.shape, variance.shape]).toEqual([shape, statsShape, statsShape]);
         expectClose(y.values, expected.y, 1e-5, 1e-4);
         expectClose(mean.values, expected.mean, 1e-6, 1e-4);
         expectClose(variance.values, expected.variance, 1e-6, 1e-4);
       });
  }

  it('reads packed input textures correctly', async () => {
    const c = randomCase([3, 4, 6], 2, 1, 3);
    const [y] = await b.runKernel({...lnRun(c), packedInputs: true});
    expectClose(y.values, ref(c).y, 1e-5, 1e-4);
  });

  it('gives an empty y and NaN statistics for empty rows', async () => {
    const c = {...randomCase([2, 1], 1, 1, 4), shape: [2, 0], x: new Float32Array(0),
               gamma: new Float32Array(0), beta: new Float32Array(0)};
    const [y, mean, variance] = await b.runKernel(lnRun(c));
    expect(y).toEqual({values: [], shape: [2, 0]});
    expect([mean.shape, variance.shape]).toEqual([[2, 1], [2, 1]]);
    expect([...mean.values, ...variance.values].every(Number.isNaN)).toBe(true);
  });

  it('holds GPU memory steady over repeated calls', async () => {
    await expectSteadyMemory(b, lnRun(randomCase([4, 32, 32], 1, 1, 5)));
  });

  describe('gradient (MsLayerNormGrad)', () => {
    // [shape, bna, bpa]: bna != bpa in both directions; the op's -1 (the last
    // axis) reaches the kernel resolved, so it is covered by the op's forward specs.
    const gradCases: Array<[number[], number, number]> = [
      [[2, 3, 4], 1, 1], [[2, 3, 2], 2, 1], [[3, 4], 1, 1], [[3, 4], 0, 1], [[3, 4], 1, 0],
      [[2, 3, 4], 1, 2], [[2, 3, 4], 2, 1], [[2, 3, 4], 0, 0], [[2, 2, 2, 3], 2, 1],
      [[2, 2, 2, 3], 1, 3],
    ];
    // The cpu kernels hold the op's float64-level bound; float32 sums of
    // central-difference-sized terms reach ~1e-4.
    const [gradAtol, gradRtol] = b.accumulation === 'float64' ? [1e-5, 1e-4] : [1e-4, 1e-3];
    for (const [shape, bna, bpa] of gradCases) {
      it(`matches float64 differences for x, gamma, beta ([${shape}], bna ${bna}, bpa ${bpa})`,
         async () => {
           const c = randomCase(shape, bna, bpa, sizeOf(shape) * 3 + bna);
           const dyv = randomValues(sizeOf(shape), rng(bna + 40), -1, 1);
           const run = {...lnRun(c), wrt: ['x', 'gamma', 'beta'], dy: spec(dyv, shape)};
           const grads = await b.gradKernel(run);
           expectClose(grads[0].values, centralDiff(v => ref(c, v).y, c.x, dyv), gradAtol, gradRtol);
           expectClose(grads[1].values, centralDiff(v => ref(c, c.x, v).y, c.gamma, dyv), gradAtol, gradRtol);
           expectClose(grads[2].values, centralDiff(v => ref(c, c.x, c.gamma, v).y, c.beta, dyv), gradAtol,
                       gradRtol);
         });
    }

    for (const [output, name] of [[1, 'mean'], [2, 'variance']] as const) {
      it(`carries gradients through the ${name} output`, async () => {
        const c = randomCase([3, 5], 1, 1, 50 + output);
        const dyv = randomValues(3, rng(output), -1, 1);
        const run = {...lnRun(c), wrt: ['x'], dy: spec(dyv, [3, 1]), outputIndex: output};
        const [g] = await b.gradKernel(run);
        expectClose(g.values, centralDiff(v => ref(c, v)[name], c.x, dyv), 1e-4, 1e-3);
      });
    }

    it('matches the float64 backward pass with dmean and dvariance on long rows (window stages)',
       async () => {
         const c = randomCase([3, 40, 40], 1, 2, 60);
         const dy = spec(randomValues(c.x.length, rng(61)), c.shape);
         const run = (): Run<KernelRun> => ({
           kernel: MsLayerNormGrad,
           inputs: {
             x: spec(c.x, c.shape),
             gamma: spec(c.gamma, [40]),
             dy,
             dmean: spec([0.5, -1, 2], [3, 1, 1]),
             dvariance: spec([1, 0.25, -0.5], [3, 1, 1]),
           },
           attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: EPS},
         });
         const out = await b.runKernel(run());
         expect(out.map(t => t.shape)).toEqual([c.shape, [40], [40]]);
         const expected = normalizeGradRef(c.x, dy.values, layerNormLayout(c.shape, 1, 2), c.gamma, EPS,
                                           {dmean: [0.5, -1, 2], dvariance: [1, 0.25, -0.5]});
         [expected.dx, expected.dgamma, expected.dbeta].forEach(
             (e, i) => expectClose(out[i].values, e, 1e-4, 1e-4));
       });

    it('holds GPU memory steady over repeated gradient calls', async () => {
      const c = randomCase([4, 16, 16], 1, 1, 70);
      const dy = spec(randomValues(c.x.length, rng(71)), c.shape);
      await expectSteadyMemory(b, {...lnRun(c), wrt: ['x', 'gamma', 'beta'], dy});
    });
  });
});

/** Random x, gamma in [0.5, 1.5), beta in [-1, 1) for a layer norm op case. */
function makeCase(shape: number[], bpa: number, seed: number, lo = -2, hi = 2) {
  const paramShape = shape.slice(bpa);
  const {x: xv, gamma: gv, beta: bv} = affineInputs(shape, sizeOf(paramShape), seed, [lo, hi]);
  return {xv, gv, bv, paramShape};
}

describeEachBackend('layerNorm', b => {
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});
  /** layerNorm(...args) on the backend: y, mean, variance with their shapes. */
  const layerNormOp = async (...args: unknown[]) => {
    const [y, mean, variance] = await b.runOp({op: 'layerNorm', args});
    return {y, mean, variance};
  };
  const run = (xv: Float32Array, shape: number[], gv: Float32Array, bv: Float32Array,
               paramShape: number[], options: LayerNormOptions) =>
      layerNormOp(tensor(xv, shape), tensor(gv, paramShape), tensor(bv, paramShape), options);

  it('normalizes over axes [1, rank) with beginNormAxis = beginParamsAxis = 1 by default', async () => {
    const {y, mean, variance} = await layerNormOp([[1, 2, 3], [4, 6, 8]], [1, 1, 1], [0, 0, 0]);
    expect(mean.shape).toEqual([2, 1]);
    expect(variance.shape).toEqual([2, 1]);
    const r = 1 / Math.sqrt(2 / 3 + 1e-7);
    const r2 = 2 / Math.sqrt(8 / 3 + 1e-7);
    expectClose(y.values, [-r, 0, r, -r2, 0, r2], 1e-6);
    expectClose(mean.values, [2, 6], 1e-6);
    expectClose(variance.values, [2 / 3, 8 / 3], 1e-6);  // biased (divides by 3)
  });

  it('uses epsilon 1e-7 by default (PyTorch 1e-5, tfjs layers 1e-3)', async () => {
    // var = 2.5e-7, comparable to epsilon: the default is visible in y.
    const {y} = await layerNormOp([[0, 1e-3]], [1, 1], [0, 0]);
    const expected = 5e-4 / Math.sqrt(Math.fround(2.5e-7) + 1e-7);
    expectClose(y.values, [-expected, expected], 1e-5);
  });

  it('applies gamma and beta after normalizing', async () => {
    const {y} = await layerNormOp([[1, 3]], [2, 3], [10, 20]);
    const n = 1 / Math.sqrt(1 + 1e-7);
    expectClose(y.values, [10 - 2 * n, 20 + 3 * n], 1e-5);
  });

  describe('matches the float64 reference for every valid (beginNormAxis, beginParamsAxis)', () => {
    const shapes = [[3, 5], [2, 3, 4], [2, 3, 2, 3]];
    for (const shape of shapes) {
      const rank = shape.length;
      for (let bna = -1; bna < rank; bna++) {
        for (let bpa = -1; bpa < rank; bpa++) {
          it(`shape [${shape}] bna ${bna} bpa ${bpa}`, async () => {
            const a = bna < 0 ? bna + rank : bna;
            const p = bpa < 0 ? bpa + rank : bpa;
            const {xv, gv, bv, paramShape} = makeCase(shape, p, rank * 100 + a * 10 + p);
            const out = await run(
                xv, shape, gv, bv, paramShape,
                {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: 1e-5});
            const ref = layerNormRef(xv, shape, a, p, gv, bv, 1e-5);
            const statsShape = shape.map((d, i) => (i < a ? d : 1));
            expect({y: out.y.shape, mean: out.mean.shape, variance: out.variance.shape})
                .toEqual({y: shape, mean: statsShape, variance: statsShape});
            expectClose(out.y.values, ref.y, 1e-5);
            expectClose(out.mean.values, ref.mean, 1e-5);
            expectClose(out.variance.values, ref.variance, 1e-5);
          });
        }
      }
    }
  });

  it('matches the float64 reference on random shapes and axes', async () => {
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
      const out = await run(
          xv, shape, gv, bv, paramShape, {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: eps});
      const ref = layerNormRef(xv, shape, a, p, gv, bv, eps);
      // A size-1 block has variance 0 and y = beta, (x - mean) being exactly 0.
      expectClose(out.y.values, ref.y, 1e-5);
      expectClose(out.mean.values, ref.mean, 1e-5);
      expectClose(out.variance.values, ref.variance, 1e-5);
    }
  });

  // The cpu kernels (float64 statistics) keep y within 1e-5, the variance
  // within 1e-6 and the mean within its float32 rounding. Float32 backends
  // (tfjs-wasm's composed fallback, the WebGL programs) sum 64 values near 1e4
  // in float32: the mean is off by 1.7e-3 (1.7e-7 relative), y by that over
  // the spread (2.9e-3), the variance by 2.9e-6; bounds about 2x above.
  const offsetTol = b.accumulation === 'float64' ? {y: 1e-5, variance: 1e-6, mean: 1e-7} :
                                                   {y: 5e-3, variance: 1e-5, mean: 4e-7};
  it('is stable on a large offset (1e4 + noise): two-pass statistics', async () => {
    const shape = [4, 64];
    const next = rng(99);
    const xv = randomValues(sizeOf(shape), next, 1e4 - 1, 1e4 + 1);
    const gv = new Float32Array(64).fill(1);
    const bv = new Float32Array(64);
    const out = await run(xv, shape, gv, bv, [64], {epsilon: 1e-7});
    const ref = layerNormRef(xv, shape, 1, 1, gv, bv, 1e-7);
    expectClose(out.y.values, ref.y, offsetTol.y);
    // ~1/3; E[x^2] - mean^2 in float32 would be off by ~1e3.
    expectClose(out.variance.values, ref.variance, offsetTol.variance);
    expectClose(out.mean.values, ref.mean, 0, offsetTol.mean);  // float32 rounding of ~1e4
  });

  it('normalizes a constant block to beta (variance 0)', async () => {
    const {y, mean, variance} = await layerNormOp([[5, 5, 5]], [2, 2, 2], [1, 2, 3]);
    expectClose(y.values, [1, 2, 3], 0);
    expectClose(mean.values, [5], 0);
    expectClose(variance.values, [0], 0);
  });

  it('handles empty tensors', async () => {
    const {y, mean, variance} =
        await layerNormOp(tensor([], [0, 3]), tensor([1, 1, 1], [3]), tensor([0, 0, 0], [3]));
    expect(y.shape).toEqual([0, 3]);
    expect(mean.shape).toEqual([0, 1]);
    expect(variance.shape).toEqual([0, 1]);
  });

  it('accepts nested arrays for x, gamma and beta and leaks nothing', async () => {
    const {y, mean, variance} = await layerNormOp([[1, 2], [3, 5]], [1, 1], [0, 0], {beginNormAxis: -1});
    const n1 = 0.5 / Math.sqrt(0.25 + 1e-7);
    const n2 = 1 / Math.sqrt(1 + 1e-7);
    expectClose(y.values, [-n1, n1, -n2, n2], 1e-6);
    expectClose(mean.values, [1.5, 4], 1e-6);
    expectClose(variance.values, [0.25, 1], 1e-6);
  });

  describe('gradient', () => {
    // The gradient of y alone is MsLayerNormGrad's spec (its case table holds these shapes).
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

      it(`flows through the mean and variance outputs too: [${shape}] bna ${bna} bpa ${bpa}`,
         async () => {
           const {xv, gv, bv, paramShape} = makeCase(shape, p, 900 + rank * 10 + a * 3 + p);
           const statsShape = shape.map((d, i) => (i < a ? d : 1));
           const next = rng(33);
           const dyv = randomValues(sizeOf(shape), next, -1, 1);
           const dmv = randomValues(sizeOf(statsShape), next, -1, 1);
           const dvv = randomValues(sizeOf(statsShape), next, -1, 1);
           const eps = 1e-5;
           const out = await b.evaluate(async (h, c) => {
             const {tf, ms} = h;
             const before = tf.memory().numTensors;
             const [x, gamma, beta, dy, dm, dv] = [
               tf.tensor(c.xv, c.shape), tf.tensor(c.gv, c.paramShape), tf.tensor(c.bv, c.paramShape),
               tf.tensor(c.dyv, c.shape), tf.tensor(c.dmv, c.statsShape), tf.tensor(c.dvv, c.statsShape),
             ];
             // loss = sum(y * dy) + sum(mean * dm) + sum(variance * dv)
             const loss = (t: typeof x, g: typeof x, bt: typeof x) => {
               const r = ms.layerNorm(t, g, bt, c.options);
               return tf.addN([tf.sum(tf.mul(r.y, dy)), tf.sum(tf.mul(r.mean, dm)),
                               tf.sum(tf.mul(r.variance, dv))]);
             };
             const grads = tf.grads(loss)([x, gamma, beta]);
             const values = [];
             for (const g of grads) {
               values.push(Array.from(await g.data()));
             }
             tf.dispose([x, gamma, beta, dy, dm, dv, ...grads]);
             return {values, leaked: tf.memory().numTensors - before};
           }, {xv: Array.from(xv), gv: Array.from(gv), bv: Array.from(bv), dyv: Array.from(dyv),
               dmv: Array.from(dmv), dvv: Array.from(dvv), shape, paramShape, statsShape,
               options: {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: eps}});
           expect(out.leaked).toBe(0);
           const weights = Float64Array.from([...dyv, ...dmv, ...dvv]);
           const ref = (xs: ArrayLike<number>, gs: ArrayLike<number>, bs: ArrayLike<number>) => {
             const r = layerNormRef(xs, shape, a, p, gs, bs, eps);
             return Float64Array.from([...r.y, ...r.mean, ...r.variance]);
           };
           expectClose(out.values[0], centralDiff(v => ref(v, gv, bv), xv, weights), 1e-5, 1e-4);
           expectClose(out.values[1], centralDiff(v => ref(xv, v, bv), gv, weights), 1e-5, 1e-4);
           expectClose(out.values[2], centralDiff(v => ref(xv, gv, v), bv, weights), 1e-5, 1e-4);
         });
    }

    /** tf.grad of sum(layerNorm(x, ones, zeros).y) with respect to x or beta alone. */
    const gradAlone = (wrt: 'x'|'beta', xv: number[], shape: number[]) => b.evaluate(
        async (h, {wrt, xv, shape}) => {
          const {tf, ms} = h;
          const before = tf.memory().numTensors;
          const x = tf.tensor(xv, shape);
          const d = shape[shape.length - 1];
          const gamma = tf.ones([d]);
          const beta = tf.zeros([d]);
          const g = wrt === 'x' ? tf.grad((t: typeof x) => ms.layerNorm(t, gamma, beta).y)(x) :
                                  tf.grad((t: typeof x) => ms.layerNorm(x, gamma, t).y)(beta);
          const values = Array.from(await g.data());
          tf.dispose([x, gamma, beta, g]);
          return {values, leaked: tf.memory().numTensors - before};
        },
        {wrt, xv, shape});

    it('leaks nothing when only x is differentiated (gamma, beta constant)', async () => {
      const out = await gradAlone('x', Array.from(randomValues(12, rng(4))), [3, 4]);
      expect(out.leaked).toBe(0);
      // With dy = 1 and gamma = 1, sum(dxhat) = M and sum(dxhat * xhat) = 0: dx = 0.
      expectClose(out.values, new Array(12).fill(0), 1e-5);
    });

    it('gives dbeta = the sum of dy over the axes beta lacks', async () => {
      const out = await gradAlone('beta', Array.from(randomValues(6, rng(8))), [2, 3]);
      expect(out.leaked).toBe(0);
      expectClose(out.values, [2, 2, 2], 1e-6);  // dbeta = sum of dy over the batch axis
    });
  });
});
