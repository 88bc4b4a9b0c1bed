// SPDX-License-Identifier: Apache-2.0
/**
 * Kernel cases for gpu_precision.test.ts: inputs and attrs of every kernel of
 * the package (and the shapes that stress the GPU programs' structure), with
 * data generators, so each case runs on a backend and on cpu with the same
 * inputs.
 */
import * as names from '../../src/kernel_names';
import {randomValues, rng, sizeOf} from '../test_util';

import type {KernelRun, TensorSpec} from '../backends/runner';

export type Values = (size: number, next: () => number) => Float32Array;

export const unit: Values = (size, next) => randomValues(size, next, -2, 2);
/** 1e4 + unit noise: a plain float32 sum puts the mean off by ~1e-3 of the deviation. */
export const largeMean: Values = (size, next) => randomValues(size, next, -1.7, 1.7).map(v => v + 1e4);
const positive: Values = (size, next) => randomValues(size, next, 0.5, 1.5);

export interface Case {
  title: string;
  kernel: string;
  /** Input name -> [shape, values]; 'x' takes the data under test. */
  inputs: Record<string, [number[], Values]>;
  attrs: Record<string, unknown>;
}

/** The case's run with x from `data` (the other inputs from the case), on `backend`. */
export function build(c: Case, data: Values, seed: number, backend: string): KernelRun {
  const next = rng(seed);
  const inputs: Record<string, TensorSpec> = {};
  for (const [name, [shape, values]] of Object.entries(c.inputs)) {
    const v = name === 'x' ? data : values;
    inputs[name] = {values: Array.from(v(sizeOf(shape), next)), shape};
  }
  return {backend, kernel: c.kernel, inputs, attrs: c.attrs};
}

const lrnAttrs = {depthRadius: 2, bias: 1, alpha: 1e-2, beta: 0.75};

export const cases: Case[] = [
  {title: 'L2Normalize over a middle axis', kernel: names.MsL2Normalize,
   inputs: {x: [[3, 4, 5], unit]}, attrs: {axis: [1], epsilon: 1e-4}},
  {title: 'L2Normalize over two axes', kernel: names.MsL2Normalize,
   inputs: {x: [[3, 4, 5], unit]}, attrs: {axis: [0, 2], epsilon: 1e-4}},
  {title: 'L2NormalizeGrad over the last axis', kernel: names.MsL2NormalizeGrad,
   inputs: {x: [[6, 8], unit], dy: [[6, 8], unit]}, attrs: {axis: [1], epsilon: 1e-4}},
  {title: 'L2NormalizeGrad over axis 0', kernel: names.MsL2NormalizeGrad,
   inputs: {x: [[5, 3], unit], dy: [[5, 3], unit]}, attrs: {axis: [0], epsilon: 1e-4}},
  {title: 'LRN, beta 0.75', kernel: names.MsLRN, inputs: {x: [[2, 7, 3, 4], unit]},
   attrs: lrnAttrs},
  {title: 'LRN, a general beta and a radius wider than C', kernel: names.MsLRN,
   inputs: {x: [[2, 3, 5], unit]}, attrs: {...lrnAttrs, depthRadius: 9, beta: 0.6}},
  {title: 'LRNGrad', kernel: names.MsLRNGrad,
   inputs: {x: [[2, 7, 3, 4], unit], dy: [[2, 7, 3, 4], unit]}, attrs: lrnAttrs},
  {title: 'GroupNorm (vec4 rows)', kernel: names.MsGroupNorm,
   inputs: {x: [[2, 6, 4, 4], unit], gamma: [[6], positive], beta: [[6], unit]},
   attrs: {numGroups: 3, epsilon: 1e-5}},
  {title: 'GroupNorm (odd rows)', kernel: names.MsGroupNorm,
   inputs: {x: [[2, 4, 5], unit], gamma: [[4], positive], beta: [[4], unit]},
   attrs: {numGroups: 2, epsilon: 1e-5}},
  {title: 'GroupNormGrad', kernel: names.MsGroupNormGrad,
   inputs: {x: [[2, 6, 3, 3], unit], gamma: [[6], positive], dy: [[2, 6, 3, 3], unit]},
   attrs: {numGroups: 3, epsilon: 1e-5}},
  {title: 'BatchNormTraining NCHW', kernel: names.MsBatchNormTraining,
   inputs: {x: [[4, 3, 5, 5], unit], gamma: [[3], positive], beta: [[3], unit],
            runningMean: [[3], unit], runningVar: [[3], positive]},
   attrs: {momentum: 0.1, epsilon: 1e-5, dataFormat: 'NCHW', varianceUpdate: 'unbiased'}},
  {title: 'BatchNormTraining NHWC, biased update', kernel: names.MsBatchNormTraining,
   inputs: {x: [[4, 5, 3], unit], gamma: [[3], positive], beta: [[3], unit],
            runningMean: [[3], unit], runningVar: [[3], positive]},
   attrs: {momentum: 0.3, epsilon: 1e-5, dataFormat: 'NHWC', varianceUpdate: 'biased'}},
  {title: 'BatchNormInference NCHW', kernel: names.MsBatchNormInference,
   inputs: {x: [[2, 3, 4, 5], unit], gamma: [[3], positive], beta: [[3], unit],
            runningMean: [[3], unit], runningVar: [[3], positive]},
   attrs: {epsilon: 1e-5, dataFormat: 'NCHW'}},
  {title: 'BatchNormGrad training NHWC', kernel: names.MsBatchNormGrad,
   inputs: {x: [[3, 4, 5, 2], unit], gamma: [[2], positive], runningMean: [[2], unit],
            runningVar: [[2], positive], dy: [[3, 4, 5, 2], unit]},
   attrs: {training: true, epsilon: 1e-5, dataFormat: 'NHWC'}},
  {title: 'BatchNormGrad training NCHW', kernel: names.MsBatchNormGrad,
   inputs: {x: [[3, 4, 6], unit], gamma: [[4], positive], runningMean: [[4], unit],
            runningVar: [[4], positive], dy: [[3, 4, 6], unit]},
   attrs: {training: true, epsilon: 1e-5, dataFormat: 'NCHW'}},
  {title: 'BatchNormGrad inference', kernel: names.MsBatchNormGrad,
   inputs: {x: [[3, 4, 6], unit], gamma: [[4], positive], runningMean: [[4], unit],
            runningVar: [[4], positive], dy: [[3, 4, 6], unit]},
   attrs: {training: false, epsilon: 1e-5, dataFormat: 'NCHW'}},
  {title: 'LayerNorm, parameters at the normalized axes', kernel: names.MsLayerNorm,
   inputs: {x: [[4, 6, 8], unit], gamma: [[6, 8], positive], beta: [[6, 8], unit]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
  {title: 'LayerNorm, parameters before the normalized axes (odd rows)', kernel: names.MsLayerNorm,
   inputs: {x: [[3, 5, 7], unit], gamma: [[5, 7], positive], beta: [[5, 7], unit]},
   attrs: {beginNormAxis: 2, beginParamsAxis: 1, epsilon: 1e-7}},
  {title: 'LayerNormGrad with dmean and dvariance', kernel: names.MsLayerNormGrad,
   inputs: {x: [[4, 3, 8], unit], gamma: [[8], positive], dy: [[4, 3, 8], unit],
            dmean: [[4, 3, 1], unit], dvariance: [[4, 3, 1], unit]},
   attrs: {beginNormAxis: 2, beginParamsAxis: 2, epsilon: 1e-7}},
  {title: 'LayerNormGrad, parameters after the normalized axes', kernel: names.MsLayerNormGrad,
   inputs: {x: [[4, 3, 5], unit], gamma: [[5], positive], dy: [[4, 3, 5], unit]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: 1e-7}},
  {title: 'InstanceNorm', kernel: names.MsInstanceNorm,
   inputs: {x: [[2, 3, 4, 5], unit], gamma: [[3], positive], beta: [[3], unit]},
   attrs: {epsilon: 1e-5}},
  {title: 'InstanceNormGrad', kernel: names.MsInstanceNormGrad,
   inputs: {x: [[2, 3, 4, 4], unit], gamma: [[3], positive], dy: [[2, 3, 4, 4], unit]},
   attrs: {epsilon: 1e-5}},
  {title: 'RMSNorm over the last two axes', kernel: names.MsRMSNorm,
   inputs: {x: [[3, 4, 6], unit], gamma: [[4, 6], positive]}, attrs: {epsilon: 1e-6}},
  {title: 'RMSNormGrad', kernel: names.MsRMSNormGrad,
   inputs: {dy: [[5, 7], unit], x: [[5, 7], unit], rstd: [[5, 1], positive], gamma: [[7], positive]},
   attrs: {}},
  {title: 'LayerNorm, long rows (many values per thread)', kernel: names.MsLayerNorm,
   inputs: {x: [[2, 5000], unit], gamma: [[5000], positive], beta: [[5000], unit]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
  {title: 'LayerNorm, more rows than one dispatch dimension holds', kernel: names.MsLayerNorm,
   inputs: {x: [[66000, 2], unit], gamma: [[2], positive], beta: [[2], unit]},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
  {title: 'BatchNormGrad training, large channels', kernel: names.MsBatchNormGrad,
   inputs: {x: [[8, 2, 40, 40], unit], gamma: [[2], positive], runningMean: [[2], unit],
            runningVar: [[2], positive], dy: [[8, 2, 40, 40], unit]},
   attrs: {training: true, epsilon: 1e-5, dataFormat: 'NCHW'}},
];

export function byTitle(title: string): Case {
  return cases.find(c => c.title === title)!;
}

/** The statistics kernels, whose large-mean precision is the point of the shift. */
export const STATISTICS = new Set<string>([
  names.MsGroupNorm, names.MsGroupNormGrad, names.MsBatchNormTraining, names.MsBatchNormGrad,
  names.MsLayerNorm, names.MsLayerNormGrad, names.MsInstanceNorm, names.MsInstanceNormGrad,
]);

