// SPDX-License-Identifier: Apache-2.0
/** Behaviours every op spec states the same way, run through the backend under test. */
import {centralDiff, expectClose, randomValues, rng, seedCases, seedShape, seedValues, sizeOf} from '../test_util';

import {BackendUnderTest, KernelRun, Run, spec} from '../backends/backend_under_test';

/**
 * One `it` per seed case of `seedOp`: `ms[op](input, ...argsOf(case.args))`
 * has the seed's shape and expected values, to the case's tolerances.
 */
export function itReproducesSeeds(b: BackendUnderTest, seedOp: string, op: string,
                                  argsOf: (args: Record<string, unknown>) => unknown[]): void {
  for (const c of seedCases(seedOp)) {
    it(`reproduces ${c.id} through the op`, async () => {
      const [y] = await b.runOp(
          {op, args: [{tensor: spec(seedValues(c, 'input'), seedShape(c))}, ...argsOf(c.args)]});
      expect(y.shape).toEqual(seedShape(c));
      expectClose(y.values, seedValues(c, 'expected'), c.atol ?? 0, c.rtol ?? 0);
    });
  }
}

/**
 * Seeded x of `shape` uniform in [-range, range), then one value in
 * [o, o + 1) per offset o (an op's scalar parameters), in that order.
 */
export function randomInputAndParams(shape: number[], seed: number, range: number, offsets: number[]):
    {x: Float32Array, params: number[]} {
  const next = rng(seed);
  const x = randomValues(sizeOf(shape), next, -range, range);
  return {x, params: offsets.map(o => o + next())};
}

/**
 * The gradient of a one-input kernel's run (`makeRun(x)`) for seeded x in
 * [-2, 2) and dy in [-1, 1) equals float64 central differences of `ref`.
 */
export async function expectXGradMatchesRef(
    b: BackendUnderTest, shape: number[], seed: number, makeRun: (x: Float32Array) => Run<KernelRun>,
    ref: (x: ArrayLike<number>) => ArrayLike<number>): Promise<void> {
  const next = rng(seed);
  const xv = randomValues(sizeOf(shape), next, -2, 2);
  const dyv = randomValues(sizeOf(shape), next, -1, 1);
  const [g] = await b.gradKernel({...makeRun(xv), wrt: ['x'], dy: spec(dyv, shape)});
  expectClose(g.values, centralDiff(ref, xv, dyv), 1e-5, 1e-4);
}
