// SPDX-License-Identifier: Apache-2.0
/**
 * The WebGL statistics kernels on data with a large mean (1e4 + unit
 * noise): every output and gradient within 1e-4 (of the output's scale) of
 * the float64-accumulating CPU kernels, which needs the statistics taken
 * around a shift (see moments.ts). Also the inference batch norm on packed
 * input in every channel position of a texel.
 */
import * as names from '../../src/kernel_names';
import {build, cases, Case, largeMean, STATISTICS, unit} from '../webgpu/kernel_cases';
import {expectWithinScale} from '../webgpu/webgpu_test_util';

import {runKernel, useHarness} from './webgl_test_util';

describe('WebGL statistics kernels on data with mean 1e4', () => {
  const h = useHarness();

  cases.filter(c => STATISTICS.has(c.kernel)).forEach((c, k) => {
    it(`${c.title}: within 1e-4 of the cpu kernel`, async () => {
      const gl = await runKernel(h.page, build(c, largeMean, 400 + k, 'webgl'));
      const cpu = await runKernel(h.page, build(c, largeMean, 400 + k, 'cpu'));
      gl.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-4, `output ${i}`));
    });
  });
});

describe('MsBatchNormInference on packed webgl input', () => {
  const h = useHarness();

  // Channel axis last, second to last and elsewhere in the texel's 2x2
  // block; odd sizes leave partial texels.
  const layouts: Array<[number[], 'NCHW'|'NHWC']> = [
    [[3, 5, 3, 5], 'NCHW'],
    [[2, 5, 7], 'NCHW'],
    [[3, 5], 'NCHW'],
    [[2, 3, 5, 5], 'NHWC'],
    [[5, 3], 'NHWC'],
  ];
  for (const [shape, dataFormat] of layouts) {
    it(`${dataFormat} [${shape}] matches the cpu kernel`, async () => {
      const channels = dataFormat === 'NHWC' ? shape[shape.length - 1] : shape[1];
      const c: Case = {
        title: 'packed',
        kernel: names.MsBatchNormInference,
        inputs: {
          x: [shape, unit], gamma: [[channels], unit], beta: [[channels], unit],
          runningMean: [[channels], unit],
          runningVar: [[channels], (n, next) => unit(n, next).map(v => v * v + 0.5)],
        },
        attrs: {epsilon: 1e-5, dataFormat},
      };
      const gl = await runKernel(h.page, {...build(c, unit, 9, 'webgl'), packedInputs: true});
      const cpu = await runKernel(h.page, build(c, unit, 9, 'cpu'));
      expectWithinScale(gl[0].values, cpu[0].values, 1e-5, 'y');
    });
  }
});
