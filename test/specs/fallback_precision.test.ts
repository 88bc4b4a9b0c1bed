// SPDX-License-Identifier: Apache-2.0
/**
 * The fallback kernels (float32 tf ops) against the package's
 * float64-accumulating CPU kernels on data with a large mean (1e4 + unit
 * noise): every statistics kernel within 1e-4 of the output's scale, as
 * gpu_precision.test.ts asks of the GPU kernels. The statistics are taken
 * around each slice's first element (fallback/moments.ts).
 */
import {describeEachBackend} from '../backends/backend_under_test';
import {makeHarness} from '../backends/harness_object';
import {decode, KernelRun, TensorSpec} from '../backends/runner';
import {expectWithinScale} from '../test_util';

import {build, cases, largeMean, STATISTICS} from './gpu_kernel_cases';

const node = makeHarness();

async function onCpu(run: KernelRun): Promise<TensorSpec[]> {
  const {outputs} = await node.runKernel({...run, backend: 'cpu'});
  return outputs.map(t => ({values: Array.from(decode(t.data)), shape: t.shape}));
}

describeEachBackend('fallback kernels on data with mean 1e4', b => {
  cases.filter(c => STATISTICS.has(c.kernel)).forEach((c, k) => {
    it(`${c.title}: within 1e-4 of the cpu kernel`, async () => {
      const run = build(c, largeMean, 200 + k, b.backend);
      const fallback = await b.runKernel(run);
      const cpu = await onCpu(run);
      expect(fallback.map(t => t.shape)).toEqual(cpu.map(t => t.shape));
      fallback.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-4, `output ${i}`));
    });
  });
}, b => b.backend === 'fallback');
