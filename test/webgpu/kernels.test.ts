// SPDX-License-Identifier: Apache-2.0
/**
 * Every WGSL kernel of the package, run in headless Chromium on the webgpu
 * backend inside a validation error scope, against the package's
 * float64-accumulating CPU kernels on the same inputs: ordinary data, and
 * data with a large mean (1e4 + unit noise), where every output and
 * gradient must stay within 1e-4 of the output's scale.
 */
import * as names from '../../src/kernel_names';
import {rng, sizeOf} from '../test_util';

import {build, byTitle, Case, cases, largeMean, STATISTICS, unit} from './kernel_cases';
import {expectWithinScale, gradKernel, GradRun, runKernel, useWebGPUHarness} from './webgpu_test_util';

describe('WGSL kernels on webgpu', () => {
  const h = useWebGPUHarness();

  it('runs on the webgpu backend of a real adapter', () => {
    console.log(`WebGPU harness: adapter vendor=${h.info.vendor} architecture=${h.info.architecture}`);
    expect(h.info.backend).toBe('webgpu');
  });

  it('registers a webgpu kernel for every kernel name of the package', async () => {
    const all = Object.values(names).filter(v => typeof v === 'string' && v.startsWith('Ms'));
    const missing = await h.page.evaluate(
        ns => ns.filter(n => window.harness.tf.getKernel(n, 'webgpu') == null), all);
    expect(missing).toEqual([]);
  });

  cases.forEach((c, k) => {
    it(`${c.title}: matches the cpu kernel`, async () => {
      const gpu = await runKernel(h.page, build(c, unit, 100 + k, 'webgpu'));
      const cpu = await runKernel(h.page, build(c, unit, 100 + k, 'cpu'));
      expect(gpu.map(t => t.shape)).toEqual(cpu.map(t => t.shape));
      gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-5, `output ${i}`));
    });
  });

  cases.filter(c => STATISTICS.has(c.kernel)).forEach((c, k) => {
    it(`${c.title}: within 1e-4 of the cpu kernel on data with mean 1e4`, async () => {
      const gpu = await runKernel(h.page, build(c, largeMean, 200 + k, 'webgpu'));
      const cpu = await runKernel(h.page, build(c, largeMean, 200 + k, 'cpu'));
      gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-4, `output ${i}`));
    });
  });

  // tf.grads through the forward kernels: the gradient configs run the
  // backward WGSL kernels on webgpu.
  const gradCases: Array<[Case, string[]]> = [
    [byTitle('L2Normalize over a middle axis'), ['x']],
    [byTitle('LRN, beta 0.75'), ['x']],
    [byTitle('GroupNorm (vec4 rows)'), ['x', 'gamma', 'beta']],
    [byTitle('BatchNormTraining NCHW'), ['x', 'gamma', 'beta']],
    [byTitle('LayerNorm, parameters at the normalized axes'), ['x', 'gamma', 'beta']],
    [byTitle('InstanceNorm'), ['x', 'gamma', 'beta']],
  ];
  for (const [c, wrt] of gradCases) {
    it(`${c.title}: tf.grads with respect to ${wrt} match the cpu's`, async () => {
      const dyShape = c.inputs.x[0];
      const dy = {values: Array.from(unit(sizeOf(dyShape), rng(7))), shape: dyShape};
      const run = (backend: 'webgpu'|'cpu'): GradRun =>
          ({...build(c, unit, 300, backend), wrt, dy});
      const gpu = await gradKernel(h.page, run('webgpu'));
      const cpu = await gradKernel(h.page, run('cpu'));
      gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-5, `d${wrt[i]}`));
    });
  }
});
