// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';

import {convert, l2Normalize, lrn, torchLocalResponseNorm, torchNormalize} from '../src';
import {expectClose, expectThrowsNoLeak, lrnRef, maxAbsDiff, randomValues, rng, seedCases, seedShape, seedValues, sizeOf, take} from './test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('convert.momentum', () => {
  it('maps PyTorch 0.1 to MindSpore 0.9 and back, without float noise', () => {
    expect(convert.momentum.fromPyTorch(0.1)).toBe(0.9);
    expect(convert.momentum.toPyTorch(0.9)).toBe(0.1);  // 1 - 0.9 is 0.09999999999999998 in float64
    expect(convert.momentum.fromPyTorch(0)).toBe(1);
    expect(convert.momentum.toPyTorch(0.99)).toBe(0.01);
  });

  it('keeps Keras momentum unchanged (same direction as MindSpore)', () => {
    expect(convert.momentum.fromKeras(0.99)).toBe(0.99);
    expect(convert.momentum.toKeras(0.9)).toBe(0.9);
  });

  it('gives the same running statistics under each convention', () => {
    // PyTorch: r = (1 - m) r + m b; MindSpore and Keras: r = m r + (1 - m) b.
    const batches = [0.5, -1.25, 2, 0.75, 3];
    const mPt = 0.1;
    const mMs = convert.momentum.fromPyTorch(mPt);
    const mKeras = convert.momentum.toKeras(mMs);
    let [pt, ms, keras] = [1, 1, 1];
    for (const b of batches) {
      pt = (1 - mPt) * pt + mPt * b;
      ms = mMs * ms + (1 - mMs) * b;
      keras = mKeras * keras + (1 - mKeras) * b;
    }
    expect(ms).toBeCloseTo(pt, 12);
    expect(keras).toBeCloseTo(pt, 12);
    expect(pt).toBeCloseTo(0.9 ** 5 + 0.1 * (0.5 * 0.9 ** 4 - 1.25 * 0.9 ** 3 + 2 * 0.81 + 0.75 * 0.9 + 3), 12);
  });

  const errors: Array<[string, () => unknown, RegExp]> = [
    ['momentum above 1', () => convert.momentum.fromPyTorch(1.5),
     /convert.momentum.fromPyTorch: 'momentum' must be a number in range \[0, 1\], but got 1.5\./],
    ['a negative momentum', () => convert.momentum.toPyTorch(-0.1), /convert.momentum.toPyTorch: 'momentum' must be a number in range \[0, 1\], but got -0.1/],
    ['NaN', () => convert.momentum.fromKeras(NaN), /convert.momentum.fromKeras: 'momentum' must be a number in range \[0, 1\], but got NaN/],
    ["PyTorch's momentum=None", () => convert.momentum.fromPyTorch(null as unknown as number),
     /'momentum' must be a number in range \[0, 1\], but got null\. \(PyTorch's momentum=None, a cumulative average, has no MindSpore equivalent\.\)/],
  ];
  for (const [name, fn, msg] of errors) {
    it(`rejects ${name}`, () => expect(fn).toThrow(msg));
  }
});

/** MindSpore's lrn with `ms` and PyTorch's LocalResponseNorm with `torch` agree on these values. */
function expectSameLrn(
    vals: Float32Array, shape: number[],
    ms: {depthRadius: number, bias: number, alpha: number, beta: number},
    torch: {size: number, alpha: number, beta: number, k: number}): void {
  const x = tf.tensor(vals, shape);
  const viaMs = take(lrn(x, ms.depthRadius, ms.bias, ms.alpha, ms.beta));
  const viaTorch = take(torchLocalResponseNorm(x, torch.size, torch.alpha, torch.beta, torch.k));
  expectClose(viaMs, viaTorch, 1e-6, 1e-5);
  x.dispose();
}

describe('convert.lrn', () => {
  describe('fromPyTorch', () => {
    it('converts an odd size exactly: depthRadius (size-1)/2, alpha/size', () => {
      const c = convert.lrn.fromPyTorch({size: 5, alpha: 1e-4, beta: 0.75, k: 2});
      expect(c).toMatchObject({depthRadius: 2, bias: 2, alpha: 2e-5, beta: 0.75, exact: true});
      expect(c.reason).toMatch(/odd size 5 is the symmetric window \[c-2, c\+2\]/);
    });

    it("uses PyTorch's defaults (alpha 1e-4, beta 0.75, k 1)", () => {
      const c = convert.lrn.fromPyTorch({size: 3});
      expect(c).toMatchObject({depthRadius: 1, bias: 1, beta: 0.75, exact: true});
      expect(c.alpha).toBeCloseTo(1e-4 / 3, 18);
    });

    for (const size of [1, 3, 5, 7]) {
      it(`gives lrn the outputs of torchLocalResponseNorm for size ${size}`, () => {
        const shape = [2, 8, 2, 3];
        const next = rng(size * 5);
        const vals = randomValues(sizeOf(shape), next, -3, 3);
        const torchArgs = {size, alpha: 0.5 + next(), beta: 0.4 + next(), k: 0.5 + next()};
        expectSameLrn(vals, shape, convert.lrn.fromPyTorch(torchArgs), {...torchArgs, size});
      });
    }

    it('reports an even size as inexact and returns the nearest setting', () => {
      const c = convert.lrn.fromPyTorch({size: 2, alpha: 1e-4, beta: 0.75, k: 1});
      expect(c).toMatchObject({depthRadius: 1, bias: 1, alpha: 5e-5, beta: 0.75, exact: false});
      expect(c.reason).toMatch(
          /PyTorch's window for an even size 2 is asymmetric, \[c-1, c\+0\]; MindSpore's is always symmetric/);
    });

    it('shows with the seed numbers that the nearest setting differs for size 2', () => {
      const [seed] = seedCases('TorchLocalResponseNorm');  // size 2, alpha 1e-4, beta 0.75, k 1
      const vals = seedValues(seed, 'input');               // [2.4, 3.51, 1.3, -4.4] as [1, 2, 2, 1]
      const shape = seedShape(seed);
      const pytorch = seedValues(seed, 'expected');          // [2.3994818, 3.5083795, 1.2996368, -4.39478]
      const c = convert.lrn.fromPyTorch(seed.args as unknown as {size: number});
      const x = tf.tensor(vals, shape);
      const nearest = take(lrn(x, c.depthRadius, c.bias, c.alpha, c.beta));
      x.dispose();
      // Channel 0 (flat indices 0, 1): MindSpore's window [c-1, c+1] adds channel 1 to the sum,
      // 2.4 / (1 + 5e-5 * (2.4^2 + 1.3^2))^0.75 = 2.3993297 where PyTorch has
      // 2.4 / (1 + 5e-5 * 2.4^2)^0.75 = 2.3994817, and 3.5058359 where PyTorch has 3.5083792.
      const expectedNearest = lrnRef(vals, shape, 1, 1, 5e-5, 0.75);
      expectClose(nearest, expectedNearest, 1e-6, 0);
      expectClose([expectedNearest[0], expectedNearest[1]], [2.3993297, 3.5058359], 1e-6, 0);
      expectClose(pytorch, [2.3994818, 3.5083795, 1.2996368, -4.39478], 1e-6, 0);
      // Channel 1's window [0, 1] is the same in both; channel 0's is not.
      expectClose(nearest.slice(2), pytorch.slice(2), 2e-6, 0);
      expect(Math.abs(nearest[0] - pytorch[0])).toBeGreaterThan(1e-4);
      expect(Math.abs(nearest[1] - pytorch[1])).toBeGreaterThan(2e-3);
    });

    for (const size of [2, 4, 6]) {
      it(`finds no depthRadius, bias, alpha or beta reproducing PyTorch's even size ${size}`, () => {
        // PyTorch's window is [c - size/2, c + size/2 - 1]. A MindSpore window
        // [c - r, c + r] either reaches channel c + size/2 (r >= size/2), which
        // PyTorch never reads, or misses channel c - size/2 (r < size/2), which
        // PyTorch always reads. Perturbing one channel exposes either case.
        const half = size / 2;
        const channels = size + 2;
        const base = Array.from({length: channels}, (_, i) => 1 + 0.25 * i);
        const bump = (i: number) => base.map((v, j) => (j === i ? v + 5 : v));
        const shape = [1, channels, 1, 1];
        const pt = (v: number[]) => take(torchLocalResponseNorm(tf.tensor(v, shape), size, 0.5, 0.75, 1));
        // PyTorch: channel 0 ignores channel `half`; channel `half` reads channel 0.
        expectClose(pt(bump(half)).slice(0, 1), pt(base).slice(0, 1), 0, 0);
        expect(Math.abs(pt(bump(0))[half] - pt(base)[half])).toBeGreaterThan(1e-3);

        for (let r = 0; r <= size + 1; r++) {
          for (const bias of [0.5, 1, 2]) {
            for (const alpha of [1e-3, 0.1, 1]) {
              for (const beta of [0.5, 0.75]) {
                const ms = (v: number[]) => take(lrn(tf.tensor(v, shape), r, bias, alpha, beta));
                const [probe, watch] = r >= half ? [half, 0] : [0, half];
                const moved = Math.abs(ms(bump(probe))[watch] - ms(base)[watch]);
                // r >= half: MindSpore's channel 0 moves with channel `half` (PyTorch's does not);
                // r < half: MindSpore's channel `half` ignores channel 0 (PyTorch's moves).
                if (r >= half) {
                  expect(moved).toBeGreaterThan(1e-6);
                } else {
                  expect(moved).toBe(0);
                }
              }
            }
          }
        }
      });
    }
  });

  describe('toPyTorch', () => {
    it('converts depthRadius r to size 2r+1 and alpha to alpha*size, exactly', () => {
      expect(convert.lrn.toPyTorch({depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75})).toMatchObject(
          {size: 5, alpha: 5e-4, beta: 0.75, k: 2, exact: true});
    });

    it("uses MindSpore's defaults (depthRadius 5, bias 1, alpha 1, beta 0.5)", () => {
      expect(convert.lrn.toPyTorch()).toMatchObject({size: 11, alpha: 11, beta: 0.5, k: 1, exact: true});
    });

    it("reproduces the MindSpore LRN seed through torchLocalResponseNorm", () => {
      for (const seed of seedCases('LRN')) {
        const a = seed.args as {depth_radius: number, bias: number, alpha: number, beta: number};
        const t = convert.lrn.toPyTorch({depthRadius: a.depth_radius, bias: a.bias, alpha: a.alpha, beta: a.beta});
        const x = tf.tensor(seedValues(seed, 'input'), seedShape(seed));
        const y = take(torchLocalResponseNorm(x, t.size, t.alpha, t.beta, t.k));
        expectClose(y, seedValues(seed, 'expected'), seed.atol ?? 1e-6, seed.rtol ?? 0);
        x.dispose();
      }
    });

    for (const r of [0, 1, 2, 4]) {
      it(`gives torchLocalResponseNorm the outputs of lrn for depthRadius ${r}`, () => {
        const shape = [2, 7, 3, 2];
        const next = rng(40 + r);
        const vals = randomValues(sizeOf(shape), next, -3, 3);
        const ms = {depthRadius: r, bias: 0.5 + next(), alpha: 0.05 + next(), beta: 0.3 + next()};
        expectSameLrn(vals, shape, ms, convert.lrn.toPyTorch(ms));
      });
    }

    it('round-trips through fromPyTorch', () => {
      const ms = {depthRadius: 3, bias: 1.5, alpha: 0.02, beta: 0.6};
      const back = convert.lrn.fromPyTorch(convert.lrn.toPyTorch(ms));
      expect(back).toMatchObject({...ms, exact: true});
    });
  });

  const errors: Array<[string, () => unknown, RegExp]> = [
    ['size 0', () => convert.lrn.fromPyTorch({size: 0}), /convert.lrn.fromPyTorch: 'size' must be an integer >= 1, but got 0\./],
    ['a missing size', () => convert.lrn.fromPyTorch({} as {size: number}), /'size' must be an integer >= 1, but got undefined/],
    ['a NaN alpha', () => convert.lrn.fromPyTorch({size: 3, alpha: NaN}), /convert.lrn.fromPyTorch: 'alpha' must be a finite number, but got NaN/],
    ['a non-object', () => convert.lrn.fromPyTorch(3 as unknown as {size: number}), /convert.lrn.fromPyTorch: 'args' must be an object, but got 3/],
    ['a negative depthRadius', () => convert.lrn.toPyTorch({depthRadius: -1}), /convert.lrn.toPyTorch: 'depthRadius' must be an integer >= 0, but got -1/],
    ['an infinite bias', () => convert.lrn.toPyTorch({bias: Infinity}), /convert.lrn.toPyTorch: 'bias' must be a finite number, but got Infinity/],
  ];
  for (const [name, fn, msg] of errors) {
    it(`rejects ${name}`, () => expect(fn).toThrow(msg));
  }
});

describe('convert.l2Normalize', () => {
  it('maps PyTorch normalize(p=2, dim, eps) to l2Normalize(axis=dim, epsilon=eps^2), exactly', () => {
    const c = convert.l2Normalize.fromPyTorch();
    expect(c).toMatchObject({axis: 1, epsilon: 1e-24, exact: true});
    expect(c.reason).toMatch(/max\(\|\|x\|\|, eps\) = sqrt\(max\(\|\|x\|\|\^2, eps\^2\)\)/);
    expect(convert.l2Normalize.fromPyTorch({dim: [0, 2], eps: 1e-3})).toMatchObject(
        {axis: [0, 2], epsilon: 1e-6, exact: true});
  });

  it('maps l2Normalize(axis, epsilon) to normalize(p=2, dim=axis, eps=sqrt(epsilon))', () => {
    expect(convert.l2Normalize.toPyTorch()).toMatchObject({p: 2, dim: 0, eps: 0.01, exact: true});
    expect(convert.l2Normalize.toPyTorch({axis: -1, epsilon: 1e-12})).toMatchObject(
        {p: 2, dim: -1, eps: 1e-6, exact: true});
  });

  it('reports p other than 2 and eps = 0 as inexact', () => {
    expect(convert.l2Normalize.fromPyTorch({p: 3})).toMatchObject({exact: false});
    expect(convert.l2Normalize.fromPyTorch({p: 3}).reason).toMatch(/only the 2-norm; p = 3 has no equivalent/);
    const zero = convert.l2Normalize.fromPyTorch({eps: 0});
    expect(zero).toMatchObject({exact: false, epsilon: 1.1754943508222875e-38});
    expect(zero.reason).toMatch(/MindSpore requires epsilon > 0/);
  });

  // Inputs with the clamp inactive (norm >> eps), active (norm << eps) and at the boundary.
  const cases: Array<[string, number[], number, number, number]> = [
    ['unclamped', [3, 4, 5], 1, 1e-12, 1],
    ['clamped everywhere', [2, 3, 4], -1, 1e-2, 1e-5],
    ['clamped in some rows', [4, 6], 1, 0.5, 0.3],
    ['tiny values (SEMANTICS example scale)', [2, 3], 0, 1e-12, 1e-10],
  ];
  for (const [name, shape, dim, eps, scale] of cases) {
    it(`matches torchNormalize numerically: ${name}`, () => {
      const vals = randomValues(sizeOf(shape), rng(sizeOf(shape) + 3), -scale, scale);
      const c = convert.l2Normalize.fromPyTorch({p: 2, dim, eps});
      const x = tf.tensor(vals, shape);
      const viaTorch = take(torchNormalize(x, 2, dim, eps));
      const viaMs = take(l2Normalize(x, c.axis, c.epsilon));
      expectClose(viaMs, viaTorch, 0, 2e-6);
      x.dispose();
    });
  }

  it('makes l2Normalize reproduce the PyTorch tiny-input seed, which the unconverted epsilon does not', () => {
    const seed = seedCases('TorchNormalize').find(c => c.id === 'seed-torch-normalize-p2-tiny')!;
    const eps = (seed.args as {eps: number}).eps;
    const x = tf.tensor(seedValues(seed, 'input'));
    const c = convert.l2Normalize.fromPyTorch({p: 2, dim: 0, eps});
    expectClose(take(l2Normalize(x, c.axis, c.epsilon)), seedValues(seed, 'expected'), 1e-4, 0);
    // epsilon = eps (not eps^2) clamps: x / sqrt(1e-12) = x * 1e6, far from the unit vector.
    const unconverted = take(l2Normalize(x, 0, eps));
    expectClose(unconverted, [1e-4, 2e-4, 3e-4], 0, 1e-5);
    expect(maxAbsDiff(unconverted, seedValues(seed, 'expected'))).toBeGreaterThan(0.5);
    x.dispose();
  });

  const errors: Array<[string, () => unknown, RegExp]> = [
    ['a negative p', () => convert.l2Normalize.fromPyTorch({p: -2}), /convert.l2Normalize.fromPyTorch: 'p' must be a number >= 0 or Infinity, but got -2/],
    ['a fractional dim', () => convert.l2Normalize.fromPyTorch({dim: 0.5}), /'dim' must be an integer or a non-empty list of integers, but got 0.5/],
    ['a negative eps', () => convert.l2Normalize.fromPyTorch({eps: -1}), /'eps' must be a finite number >= 0, but got -1/],
    ['a zero epsilon', () => convert.l2Normalize.toPyTorch({epsilon: 0}), /convert.l2Normalize.toPyTorch: 'epsilon' must be a finite number > 0, but got 0/],
    ['an empty axis list', () => convert.l2Normalize.toPyTorch({axis: []}), /'axis' must be an integer or a non-empty list of integers, but got \[\]/],
  ];
  for (const [name, fn, msg] of errors) {
    it(`rejects ${name}`, () => expectThrowsNoLeak(fn, msg));
  }
});
