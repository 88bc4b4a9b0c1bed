// SPDX-License-Identifier: Apache-2.0
/**
 * The GPU kernels (webgl, webgpu) against the package's float64-accumulating
 * CPU kernels on the same inputs (computed here in Node): every kernel on
 * ordinary data, including the shapes that stress the programs' structure
 * (odd rows, long rows, more slices than one dispatch dimension holds), and
 * every statistics kernel on data with a large mean (1e4 + unit noise),
 * where each output and gradient must stay within 1e-4 of the output's
 * scale: the statistics are taken around a shift (each slice's first
 * element), which a plain float32 sum misses by 2e-4 to 1e-3. Also
 * gradients through tf.grads, and inference batch norm on packed input in
 * every channel position of a webgl texel.
 */
import * as names from '../../src/kernel_names';
import {describeEachBackend} from '../backends/backend_under_test';
import {makeHarness} from '../backends/harness_object';
import {decode, GradRun, KernelRun, TensorSpec} from '../backends/runner';
import {expectWithinScale, rng, sizeOf} from '../test_util';

import {build, byTitle, Case, cases, largeMean, STATISTICS, unit} from './gpu_kernel_cases';

const node = makeHarness();

function specs(outputs: Array<{data: string, shape: number[]}>): TensorSpec[] {
  return outputs.map(t => ({values: Array.from(decode(t.data)), shape: t.shape}));
}

/** The cpu kernels' result, in this process. */
async function onCpu(run: KernelRun): Promise<TensorSpec[]> {
  return specs((await node.runKernel({...run, backend: 'cpu'})).outputs);
}

async function gradOnCpu(run: GradRun): Promise<TensorSpec[]> {
  return specs((await node.gradKernel({...run, backend: 'cpu'})).outputs);
}

/** Batch norm inference in every channel position of a 2x2 texel; odd sizes leave partial ones. */
const packedBatchNorm: Case[] = ([
  [[3, 5, 3, 5], 'NCHW'], [[2, 5, 7], 'NCHW'], [[3, 5], 'NCHW'], [[2, 3, 5, 5], 'NHWC'],
  [[5, 3], 'NHWC'],
] as Array<[number[], 'NCHW'|'NHWC']>).map(([shape, dataFormat]) => {
  const channels = dataFormat === 'NHWC' ? shape[shape.length - 1] : shape[1];
  return {
    title: `BatchNormInference ${dataFormat} [${shape}] on packed input`,
    kernel: names.MsBatchNormInference,
    inputs: {
      x: [shape, unit], gamma: [[channels], unit], beta: [[channels], unit],
      runningMean: [[channels], unit],
      runningVar: [[channels], (n, next) => unit(n, next).map(v => v * v + 0.5)],
    },
    attrs: {epsilon: 1e-5, dataFormat},
  };
});

describeEachBackend('GPU kernels against the cpu kernels', b => {
  cases.forEach((c, k) => {
    it(`${c.title}: matches the cpu kernel`, async () => {
      const run = build(c, unit, 100 + k, b.backend);
      const gpu = await b.runKernel(run);
      const cpu = await onCpu(run);
      expect(gpu.map(t => t.shape)).toEqual(cpu.map(t => t.shape));
      gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-5, `output ${i}`));
    });
  });

  cases.filter(c => STATISTICS.has(c.kernel)).forEach((c, k) => {
    it(`${c.title}: within 1e-4 of the cpu kernel on data with mean 1e4`, async () => {
      const run = build(c, largeMean, 200 + k, b.backend);
      const gpu = await b.runKernel(run);
      const cpu = await onCpu(run);
      gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-4, `output ${i}`));
    });
  });

  // The reduction schemes the adapter does not pick for these shapes: on
  // SwiftShader a workgroup of 8 threads per slice, or one thread per slice
  // for many short slices; a GPU gets 16-256 threads (the small cases only:
  // 256-thread workgroups are very slow on SwiftShader).
  const schemes: Array<[string, Record<string, number>]> = [
    ['GPU-sized workgroups (256 threads)', {MS_WEBGPU_REDUCTION_WORKGROUP_SIZE: 256}],
    ['one thread per slice', {MS_WEBGPU_THREAD_PER_SLICE_MAX: 1e6}],
  ];
  for (const [scheme, flags] of b.backend === 'webgpu' ? schemes : []) {
    cases.filter(c => STATISTICS.has(c.kernel) && sizeOf(c.inputs.x[0]) <= 20000).forEach((c, k) => {
      it(`${c.title}: with ${scheme}, within 1e-4 on data with mean 1e4`, async () => {
        const run = {...build(c, largeMean, 200 + k, b.backend), flags};
        const gpu = await b.runKernel(run);
        const cpu = await onCpu(run);
        gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-4, `output ${i}`));
      });
    });
  }

  packedBatchNorm.forEach(c => {
    it(`${c.title}: matches the cpu kernel`, async () => {
      const run = {...build(c, unit, 9, b.backend), packedInputs: true};
      const [gpu] = await b.runKernel(run);
      const [cpu] = await onCpu(run);
      expectWithinScale(gpu.values, cpu.values, 1e-5, 'y');
    });
  });

  // tf.grads through the forward kernels: the gradient configs run the backward kernels.
  const gradCases: Array<[string, string[]]> = [
    ['L2Normalize over a middle axis', ['x']],
    ['LRN, beta 0.75', ['x']],
    ['GroupNorm (vec4 rows)', ['x', 'gamma', 'beta']],
    ['BatchNormTraining NCHW', ['x', 'gamma', 'beta']],
    ['LayerNorm, parameters at the normalized axes', ['x', 'gamma', 'beta']],
    ['InstanceNorm', ['x', 'gamma', 'beta']],
  ];
  for (const [title, wrt] of gradCases) {
    it(`${title}: tf.grads with respect to ${wrt} match the cpu's`, async () => {
      const c = byTitle(title);
      const dyShape = c.inputs.x[0];
      const dy = {values: Array.from(unit(sizeOf(dyShape), rng(7))), shape: dyShape};
      const run: GradRun = {...build(c, unit, 300, b.backend), wrt, dy};
      const gpu = await b.gradKernel(run);
      const cpu = await gradOnCpu(run);
      gpu.forEach((t, i) => expectWithinScale(t.values, cpu[i].values, 1e-5, `d${wrt[i]}`));
    });
  }
}, b => b.backend === 'webgl' || b.backend === 'webgpu');
