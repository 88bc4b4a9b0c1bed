// SPDX-License-Identifier: Apache-2.0
import {MsLRN} from '../../src/kernel_names';
import {LRN_BLOCK_MIN_WINDOW} from '../../src/kernels/webgl/webgl_flags';
import {expectClose, lrnRef, randomValues, rng, sizeOf} from '../test_util';

import {describeEachBackend, expectSteadyMemory, KernelRun, Run, spec} from '../backends/backend_under_test';
import {expectXGradMatchesRef, itReproducesSeeds, randomInputAndParams} from './op_specs';

/** Forces each window scheme (see src/kernels/webgl/channel_window.ts). */
const DIRECT = {[LRN_BLOCK_MIN_WINDOW]: Infinity};
const BLOCKS = {[LRN_BLOCK_MIN_WINDOW]: 0};

interface LRNArgs {
  depthRadius: number;
  bias: number;
  alpha: number;
  beta: number;
}

function lrnRun(
    vals: ArrayLike<number>, shape: number[], a: LRNArgs,
    flags?: Record<string, number>): Run<KernelRun> {
  return {kernel: MsLRN, inputs: {x: spec(vals, shape)}, attrs: {...a}, flags};
}

function ref(vals: ArrayLike<number>, shape: number[], a: LRNArgs): Float64Array {
  return lrnRef(vals, shape, a.depthRadius, a.bias, a.alpha, a.beta);
}

describeEachBackend('MsLRN', b => {
  itReproducesSeeds(b, 'LRN', 'lrn', a => [a.depth_radius, a.bias, a.alpha, a.beta]);

  // [shape, args]: narrow and wide windows, radius 0, radius >= C, every
  // specialised beta (0.5, 0.75, 1, 0) and a general one.
  const cases: Array<[number[], LRNArgs]> = [
    [[2, 6, 3, 2], {depthRadius: 1, bias: 1, alpha: 1e-4, beta: 0.75}],
    [[1, 16, 2, 3], {depthRadius: 5, bias: 1, alpha: 1, beta: 0.5}],
    [[2, 5, 2, 2], {depthRadius: 0, bias: 2, alpha: 0.5, beta: 1}],
    [[1, 7, 3, 1], {depthRadius: 9, bias: 0.5, alpha: 0.3, beta: 0.3}],
    [[1, 48, 2, 2], {depthRadius: 20, bias: 1, alpha: 0.01, beta: 0.75}],
    [[2, 3, 1, 2], {depthRadius: 2, bias: 1.5, alpha: 2, beta: 0}],
  ];
  for (const [shape, a] of cases) {
    it(`matches float64 for [${shape}], r=${a.depthRadius}, beta=${a.beta}`,
       async () => {
         const vals = randomValues(sizeOf(shape), rng(sizeOf(shape) + a.depthRadius), -3, 3);
         const expected = ref(vals, shape, a);
         const [y] = await b.runKernel(lrnRun(vals, shape, a));
         expect(y.shape).toEqual(shape);
         expectClose(y.values, expected, 1e-6, 1e-4);
       });
  }

  // Block sizes B = round(sqrt(span / 2)): ragged ends, windows holding no
  // whole block, C not a multiple of B, windows clipped at both ends.
  const schemeCases: Array<[number, number]> = [[9, 2], [13, 4], [31, 7], [10, 30], [40, 12]];
  for (const [channels, r] of schemeCases) {
    it(`gives the same windows with block sums as channel by channel (C=${channels}, r=${r})`,
       async () => {
         const shape = [1, channels, 2, 1];
         const a = {depthRadius: r, bias: 1, alpha: 0.1, beta: 0.75};
         const vals = randomValues(sizeOf(shape), rng(channels * 100 + r), -2, 2);
         const expected = ref(vals, shape, a);
         for (const flags of [DIRECT, BLOCKS]) {
           const [y] = await b.runKernel(lrnRun(vals, shape, a, flags));
           expectClose(y.values, expected, 1e-6, 1e-4);
         }
       });
  }

  it('reads packed input textures correctly', async () => {
    const shape = [2, 4, 3, 2];
    const a = {depthRadius: 1, bias: 1, alpha: 0.5, beta: 0.75};
    const vals = randomValues(sizeOf(shape), rng(5), -2, 2);
    const [y] = await b.runKernel({...lrnRun(vals, shape, a), packedInputs: true});
    expectClose(y.values, ref(vals, shape, a), 1e-6, 1e-4);
  });

  it('handles empty tensors', async () => {
    const a = {depthRadius: 2, bias: 1, alpha: 1, beta: 0.5};
    const [y] = await b.runKernel(lrnRun([], [0, 3, 2, 2], a));
    expect(y).toEqual({values: [], shape: [0, 3, 2, 2]});
  });

  it('holds GPU memory steady over repeated calls (both schemes)', async () => {
    const shape = [1, 24, 2, 2];
    const a = {depthRadius: 8, bias: 1, alpha: 0.1, beta: 0.75};
    const vals = randomValues(sizeOf(shape), rng(6));
    await expectSteadyMemory(b, lrnRun(vals, shape, a, DIRECT));
    await expectSteadyMemory(b, lrnRun(vals, shape, a, BLOCKS));
  });

  describe('gradient (MsLRNGrad)', () => {
    const gradCases: Array<[number[], LRNArgs, Record<string, number>|undefined]> = [
      [[1, 2, 2, 1], {depthRadius: 1, bias: 1, alpha: 1e-4, beta: 0.75}, undefined],
      [[2, 5, 2, 1], {depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.5}, undefined],
      [[1, 6, 1, 2], {depthRadius: 1, bias: 2, alpha: 0.3, beta: 0.4}, undefined],
      [[1, 12, 2, 1], {depthRadius: 4, bias: 1, alpha: 0.2, beta: 0.75}, BLOCKS],
      [[1, 9, 1, 1], {depthRadius: 20, bias: 1, alpha: 0.2, beta: 1}, BLOCKS],
      [[1, 4, 1, 1], {depthRadius: 1, bias: 1, alpha: 0.1, beta: 0.75}, undefined],
      [[2, 5, 2, 3], {depthRadius: 2, bias: 2, alpha: 0.5, beta: 0.5}, undefined],
      [[1, 6, 2, 2], {depthRadius: 0, bias: 1, alpha: 1, beta: 1.3}, undefined],
      [[2, 3, 3, 1], {depthRadius: 5, bias: 1.5, alpha: 0.2, beta: 0.6}, undefined],
    ];
    for (const [shape, a, flags] of gradCases) {
      it(`matches float64 differences for [${shape}], r=${a.depthRadius}` +
             `${flags === BLOCKS ? ' with block sums' : ''}`,
         () => expectXGradMatchesRef(b, shape, sizeOf(shape) * 7 + a.depthRadius,
                                     xv => lrnRun(xv, shape, a, flags), v => ref(v, shape, a)));
    }

    it('holds GPU memory steady over repeated gradient calls (both schemes)', async () => {
      const shape = [1, 20, 2, 1];
      const next = rng(31);
      const a = {depthRadius: 6, bias: 1, alpha: 0.1, beta: 0.75};
      const xv = randomValues(sizeOf(shape), next);
      const dy = spec(randomValues(sizeOf(shape), next), shape);
      for (const flags of [DIRECT, BLOCKS]) {
        await expectSteadyMemory(b, {...lrnRun(xv, shape, a, flags), wrt: ['x'], dy});
      }
    });
  });
});

describeEachBackend('lrn', b => {
  const lrnOp = async (...args: unknown[]) => (await b.runOp({op: 'lrn', args}))[0].values;
  const tensor = (values: ArrayLike<number>, shape: number[]) => ({tensor: spec(values, shape)});

  it('uses MindSpore defaults (depthRadius 5, bias 1, alpha 1, beta 0.5)', async () => {
    const shape = [1, 7, 2, 1];
    const vals = randomValues(sizeOf(shape), rng(1));
    expectClose(await lrnOp(tensor(vals, shape)), lrnRef(vals, shape, 5, 1, 1, 0.5), 1e-6, 1e-5);
  });

  const shapes: number[][] = [[1, 1, 1, 1], [2, 3, 4, 5], [3, 8, 3, 3], [1, 13, 1, 7], [2, 5, 0, 3]];
  const radii = [0, 1, 2, 5, 12, 40];
  for (const shape of shapes) {
    for (const r of radii) {
      it(`matches the float64 reference for [${shape}] depthRadius ${r}`, async () => {
        const {x: vals, params: [bias, alpha, beta]} =
            randomInputAndParams(shape, sizeOf(shape) * 13 + r, 4, [0.5, 0.01, 0.25]);
        expectClose(await lrnOp(tensor(vals, shape), r, bias, alpha, beta),
                    lrnRef(vals, shape, r, bias, alpha, beta), 1e-6, 1e-5);
      });
    }
  }

  it('keeps its sliding window exact when a huge value leaves a window of small ones', async () => {
    const vals = [3e4, 1e-3, 2e-3, 1e-3, 3e-3, 2e-3, 1e-3, 2e-3];
    const shape = [1, vals.length, 1, 1];
    expectClose(await lrnOp(tensor(vals, shape), 1, 1e-6, 1, 0.5),
                lrnRef(vals, shape, 1, 1e-6, 1, 0.5), 0, 1e-5);
  });
});
