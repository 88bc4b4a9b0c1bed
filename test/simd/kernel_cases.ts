// SPDX-License-Identifier: Apache-2.0
/**
 * Every kernel of the package as a case: inputs (seeded, odd sizes), attrs and
 * float64 expectations from test_util.ts's references (gradients by central
 * differences of the forward references), shared by the SIMD tests.
 */
import {MsBatchNormGrad, MsBatchNormInference, MsBatchNormTraining, MsGroupNorm, MsGroupNormGrad, MsInstanceNorm, MsInstanceNormGrad, MsL2Normalize, MsL2NormalizeGrad, MsLayerNorm, MsLayerNormGrad, MsLRN, MsLRNGrad} from '../../src';
import {batchNormRef, centralDiff, groupNormRef, instanceNormRef, l2NormalizeRef, layerNormRef, lrnRef, randomValues, rng, runningStatsRef, sizeOf} from '../test_util';

export interface Input {
  shape: number[];
  values: Float32Array;
}

export interface KernelCase {
  title: string;
  kernel: string;
  inputs: Record<string, Input>;
  attrs: Record<string, unknown>;
  /** float64 expectations, one per output. */
  expected: () => ArrayLike<number>[];
  /** Absolute tolerance (central differences are good to ~1e-7 here). */
  tol: number;
  /** Relative tolerance per output, where an output is large (statistics of data with mean 1e4). */
  rtol?: number[];
}

const next = rng(20261201);
const input = (shape: number[], lo = -1, hi = 1, shift = 0): Input => {
  const values = randomValues(sizeOf(shape), next, lo, hi);
  if (shift !== 0) {
    values.forEach((v, i) => values[i] = v + shift);
  }
  return {shape, values};
};

/** Gradient of sum(f(v) * dy) with respect to v, by central differences. */
const grad = (f: (v: Float64Array) => ArrayLike<number>, at: Input, dy: Input) =>
    centralDiff(f, at.values, dy.values);

function l2Cases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const [shape, axis] of [[[3, 7, 5], [1]], [[2, 3, 9], [2]], [[4, 3, 5], [0, 2]], [[5, 70], [0]]] as
       Array<[number[], number[]]>) {
    const x = input(shape);
    const dy = input(shape);
    const attrs = {axis, epsilon: 1e-4};
    const f = (v: ArrayLike<number>) => l2NormalizeRef(v, shape, axis, 1e-4);
    cases.push({title: `[${shape}] axis [${axis}]`, kernel: MsL2Normalize, inputs: {x}, attrs,
                expected: () => [f(x.values)], tol: 1e-6});
    cases.push({title: `[${shape}] axis [${axis}]`, kernel: MsL2NormalizeGrad, inputs: {x, dy}, attrs,
                expected: () => [grad(f, x, dy)], tol: 2e-5});
  }
  const tiny = input([3, 5], -1e-3, 1e-3);
  const dy = input([3, 5]);
  cases.push({title: 'clamped sums', kernel: MsL2NormalizeGrad, inputs: {x: tiny, dy},
              attrs: {axis: [1], epsilon: 1e-4},
              expected: () => [grad(v => l2NormalizeRef(v, [3, 5], [1], 1e-4), tiny, dy)], tol: 1e-4});
  return cases;
}

function lrnCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const [shape, r, bias, alpha, beta] of [
           [[2, 7, 3, 3], 2, 1, 0.5, 0.75], [[1, 5, 1, 7], 1, 2, 1, 0.5], [[1, 4, 2, 3], 0, 1, 1e-2, 1],
           [[2, 6, 1, 5], 3, 1, 0.3, 1.3], [[1, 3, 2, 2], 9, 1, 1, 0.5]] as
       Array<[number[], number, number, number, number]>) {
    const x = input(shape);
    const dy = input(shape);
    const attrs = {depthRadius: r, bias, alpha, beta};
    const f = (v: ArrayLike<number>) => lrnRef(v, shape, r, bias, alpha, beta);
    const title = `[${shape}] r ${r} beta ${beta}`;
    cases.push({title, kernel: MsLRN, inputs: {x}, attrs, expected: () => [f(x.values)], tol: 1e-6});
    cases.push({title, kernel: MsLRNGrad, inputs: {x, dy}, attrs, expected: () => [grad(f, x, dy)],
                tol: 2e-5});
  }
  return cases;
}

function groupCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const [shape, groups, shift] of [[[2, 6, 3, 3], 3, 0], [[3, 4], 2, 0], [[2, 5, 7], 5, 0],
                                        [[2, 4, 5, 3], 2, 1e4]] as Array<[number[], number, number]>) {
    const c = shape[1];
    const x = input(shape, -1, 1, shift);
    const gamma = input([c]);
    const beta = input([c]);
    const dy = input(shape);
    const eps = 1e-5;
    const title = `[${shape}] ${groups} groups${shift ? ', mean 1e4' : ''}`;
    cases.push({title, kernel: MsGroupNorm, inputs: {x, gamma, beta}, attrs: {numGroups: groups, epsilon: eps},
                expected: () => [groupNormRef(x.values, shape, groups, gamma.values, beta.values, eps)],
                tol: 1e-5});
    if (shift === 0) {
      cases.push({
        title, kernel: MsGroupNormGrad, inputs: {x, gamma, dy}, attrs: {numGroups: groups, epsilon: eps},
        expected: () => [
          grad(v => groupNormRef(v, shape, groups, gamma.values, beta.values, eps), x, dy),
          grad(g => groupNormRef(x.values, shape, groups, g, beta.values, eps), gamma, dy),
          grad(b => groupNormRef(x.values, shape, groups, gamma.values, b, eps), beta, dy),
        ],
        tol: 1e-4,
      });
    }
    cases.push({title, kernel: MsInstanceNorm, inputs: {x, gamma, beta}, attrs: {epsilon: eps},
                expected: () => [instanceNormRef(x.values, shape, gamma.values, beta.values, eps)],
                tol: 1e-5});
    if (shift === 0 && shape.length > 2) {
      cases.push({
        title, kernel: MsInstanceNormGrad, inputs: {x, gamma, dy}, attrs: {epsilon: eps},
        expected: () => [
          grad(v => instanceNormRef(v, shape, gamma.values, beta.values, eps), x, dy),
          grad(g => instanceNormRef(x.values, shape, g, beta.values, eps), gamma, dy),
          grad(b => instanceNormRef(x.values, shape, gamma.values, b, eps), beta, dy),
        ],
        tol: 1e-4,
      });
    }
  }
  return cases;
}

function batchCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const [shape, dataFormat, shift] of [[[4, 3, 3, 3], 'NCHW', 0], [[3, 3, 2, 5], 'NHWC', 0],
                                            [[5, 7], 'NCHW', 0], [[6, 5, 3], 'NCHW', 1e4],
                                            [[2, 3, 7], 'NHWC', 1e4]] as Array<[number[], string, number]>) {
    const axis = dataFormat === 'NHWC' ? shape.length - 1 : 1;
    const c = shape[axis];
    const x = input(shape, -1, 1, shift);
    const gamma = input([c]);
    const beta = input([c]);
    const runningMean = input([c]);
    const runningVar = input([c], 0.2, 2);
    const dy = input(shape);
    const eps = 1e-5;
    const title = `[${shape}] ${dataFormat}${shift ? ', mean 1e4' : ''}`;
    const args = (training: boolean, g: ArrayLike<number> = gamma.values, b: ArrayLike<number> = beta.values) =>
        ({axis, training, runningMean: runningMean.values, runningVar: runningVar.values, gamma: g,
          beta: b, eps});
    const stats = () => runningStatsRef([x.values], shape, axis, runningMean.values, runningVar.values,
                                        0.1, 'unbiased');
    cases.push({
      title, kernel: MsBatchNormTraining, inputs: {x, gamma, beta, runningMean, runningVar},
      attrs: {momentum: 0.1, epsilon: eps, dataFormat, varianceUpdate: 'unbiased'},
      expected: () => [batchNormRef(x.values, shape, args(true)), stats().mean, stats().variance],
      // The new running mean is ~1e3 with mean-1e4 data: float32 spacing 6e-5 there.
      tol: 1e-5, rtol: [0, 1e-6, 1e-6],
    });
    if (shift === 0) {
      cases.push({
        title, kernel: MsBatchNormInference, inputs: {x, gamma, beta, runningMean, runningVar},
        attrs: {epsilon: eps, dataFormat}, expected: () => [batchNormRef(x.values, shape, args(false))],
        tol: 1e-5,
      });
      for (const training of [true, false]) {
        cases.push({
          title: `${title} ${training ? 'training' : 'inference'}`, kernel: MsBatchNormGrad,
          inputs: {x, gamma, runningMean, runningVar, dy}, attrs: {training, epsilon: eps, dataFormat},
          expected: () => [
            grad(v => batchNormRef(v, shape, args(training)), x, dy),
            grad(g => batchNormRef(x.values, shape, args(training, g)), gamma, dy),
            grad(b => batchNormRef(x.values, shape, args(training, gamma.values, b)), beta, dy),
          ],
          tol: 1e-4,
        });
      }
    }
  }
  return cases;
}

function layerCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const [shape, bna, bpa, shift] of [[[3, 7, 5], 1, 1, 0], [[4, 9], 1, 1, 0], [[2, 3, 5], 2, 1, 0],
                                          [[2, 3, 6], 1, 2, 0], [[5, 33], 1, 1, 1e4]] as
       Array<[number[], number, number, number]>) {
    const x = input(shape, -1, 1, shift);
    const paramShape = shape.slice(bpa);
    const gamma = input(paramShape);
    const beta = input(paramShape);
    const dy = input(shape);
    const eps = 1e-7;
    const attrs = {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: eps};
    const title = `[${shape}] bna ${bna} bpa ${bpa}${shift ? ', mean 1e4' : ''}`;
    const ref = (v: ArrayLike<number>, g: ArrayLike<number> = gamma.values, b: ArrayLike<number> = beta.values) =>
        layerNormRef(v, shape, bna, bpa, g, b, eps);
    cases.push({title, kernel: MsLayerNorm, inputs: {x, gamma, beta}, attrs,
                expected: () => {
                  const r = ref(x.values);
                  return [r.y, r.mean, r.variance];
                },
                tol: 1e-5, rtol: [0, 1e-6, 0]});  // the mean output itself is ~1e4 with mean-1e4 data
    if (shift !== 0) {
      continue;
    }
    cases.push({
      title, kernel: MsLayerNormGrad, inputs: {x, gamma, dy}, attrs,
      expected: () => [
        grad(v => ref(v).y, x, dy), grad(g => ref(x.values, g).y, gamma, dy),
        grad(b => ref(x.values, gamma.values, b).y, beta, dy),
      ],
      tol: 1e-4,
    });
    // The paths through the mean and variance outputs.
    const outer = sizeOf(shape.slice(0, bna));
    const dmean = input(shape.map((d, i) => (i < bna ? d : 1)));
    const dvariance = input(dmean.shape);
    const all = (v: ArrayLike<number>, g: ArrayLike<number> = gamma.values, b: ArrayLike<number> = beta.values) => {
      const r = ref(v, g, b);
      return [...r.y, ...r.mean, ...r.variance];
    };
    const dAll: Input = {shape: [sizeOf(shape) + 2 * outer],
                         values: Float32Array.from([...dy.values, ...dmean.values, ...dvariance.values])};
    cases.push({
      title: `${title} with dmean, dvariance`, kernel: MsLayerNormGrad,
      inputs: {x, gamma, dy, dmean, dvariance}, attrs,
      expected: () => [
        centralDiff(all, x.values, dAll.values), centralDiff(g => all(x.values, g), gamma.values, dAll.values),
        centralDiff(b => all(x.values, gamma.values, b), beta.values, dAll.values),
      ],
      tol: 1e-4,
    });
  }
  return cases;
}

export const KERNEL_CASES: KernelCase[] =
    [...l2Cases(), ...lrnCases(), ...groupCases(), ...batchCases(), ...layerCases()];
