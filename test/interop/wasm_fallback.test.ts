/**
 * The fallback kernels (tf ops) on tfjs's wasm backend, against the native CPU
 * kernels: every kernel name forward, gradients through the ops, no leaks.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {batchNorm, groupNorm, instanceNorm, l2Normalize, layerNorm, lrn, MsBatchNormGrad, MsBatchNormInference, MsBatchNormTraining, MsGroupNorm, MsGroupNormGrad, MsInstanceNorm, MsInstanceNormGrad, MsL2Normalize, MsL2NormalizeGrad, MsLayerNorm, MsLayerNormGrad, MsLRN, MsLRNGrad, registerFallbackKernels, SIMD_FLAG} from '../../src';
import * as layers from '../../src/layers';
import {expectClose, maxAbsDiff, randomValues, rng, sizeOf} from '../test_util';

const KERNEL_NAMES = [
  MsL2Normalize, MsL2NormalizeGrad, MsLRN, MsLRNGrad, MsGroupNorm, MsGroupNormGrad,
  MsBatchNormTraining, MsBatchNormInference, MsBatchNormGrad, MsLayerNorm, MsLayerNormGrad,
  MsInstanceNorm, MsInstanceNormGrad,
];

/** An input: its shape and value range (seeded). */
interface InputSpec {
  shape: number[];
  lo?: number;
  hi?: number;
}

interface KernelCase {
  name: string;
  inputs: Record<string, InputSpec>;
  attrs: Record<string, unknown>;
}

const u = (...shape: number[]): InputSpec => ({shape});
const pos = (...shape: number[]): InputSpec => ({shape, lo: 0.2, hi: 2});
const tiny = (...shape: number[]): InputSpec => ({shape, lo: -1e-3, hi: 1e-3});

const BN_ATTRS = {momentum: 0.1, epsilon: 1e-5, dataFormat: 'NCHW', varianceUpdate: 'unbiased'};
const bnInputs = (x: number[], c: number) =>
    ({x: u(...x), gamma: u(c), beta: u(c), runningMean: u(c), runningVar: pos(c)});

const CASES: KernelCase[] = [
  {name: MsL2Normalize, inputs: {x: u(2, 3, 4)}, attrs: {axis: [1], epsilon: 1e-4}},
  {name: MsL2Normalize, inputs: {x: u(2, 3, 4)}, attrs: {axis: [0, 2], epsilon: 1e-4}},
  {name: MsL2Normalize, inputs: {x: tiny(2, 3)}, attrs: {axis: [1], epsilon: 1e-4}},  // clamped
  {name: MsL2NormalizeGrad, inputs: {x: u(2, 3, 4), dy: u(2, 3, 4)}, attrs: {axis: [2], epsilon: 1e-4}},
  {name: MsL2NormalizeGrad, inputs: {x: tiny(2, 3), dy: u(2, 3)}, attrs: {axis: [1], epsilon: 1e-4}},
  {name: MsLRN, inputs: {x: u(2, 5, 2, 3)}, attrs: {depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75}},
  {name: MsLRN, inputs: {x: u(1, 3, 2, 2)}, attrs: {depthRadius: 7, bias: 2, alpha: 1, beta: 0.5}},
  {name: MsLRN, inputs: {x: u(1, 4, 1, 3)}, attrs: {depthRadius: 0, bias: 1, alpha: 1e-4, beta: 1.3}},
  {name: MsLRNGrad, inputs: {x: u(2, 5, 2, 3), dy: u(2, 5, 2, 3)},
   attrs: {depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75}},
  {name: MsLRNGrad, inputs: {x: u(1, 3, 2, 2), dy: u(1, 3, 2, 2)},
   attrs: {depthRadius: 5, bias: 1, alpha: 1, beta: 0.5}},
  {name: MsGroupNorm, inputs: {x: u(2, 6, 3, 2), gamma: u(6), beta: u(6)}, attrs: {numGroups: 3, epsilon: 1e-5}},
  {name: MsGroupNorm, inputs: {x: u(3, 4), gamma: u(4), beta: u(4)}, attrs: {numGroups: 2, epsilon: 1e-3}},
  {name: MsGroupNormGrad, inputs: {x: u(2, 6, 3, 2), gamma: u(6), dy: u(2, 6, 3, 2)},
   attrs: {numGroups: 3, epsilon: 1e-5}},
  {name: MsGroupNormGrad, inputs: {x: u(2, 4, 5), gamma: u(4), dy: u(2, 4, 5)},
   attrs: {numGroups: 4, epsilon: 1e-5}},
  {name: MsBatchNormTraining, inputs: bnInputs([4, 3, 2, 2], 3), attrs: BN_ATTRS},
  {name: MsBatchNormTraining, inputs: bnInputs([3, 2, 2, 3], 3),
   attrs: {...BN_ATTRS, dataFormat: 'NHWC', varianceUpdate: 'biased', momentum: 0.7}},
  // One value per channel: the unbiased update leaves the running variance alone.
  {name: MsBatchNormTraining, inputs: bnInputs([1, 3], 3), attrs: BN_ATTRS},
  {name: MsBatchNormTraining, inputs: bnInputs([1, 3], 3), attrs: {...BN_ATTRS, varianceUpdate: 'biased'}},
  {name: MsBatchNormInference, inputs: bnInputs([2, 3, 4], 3), attrs: {epsilon: 1e-5, dataFormat: 'NCHW'}},
  {name: MsBatchNormInference, inputs: bnInputs([2, 2, 3], 3), attrs: {epsilon: 1e-3, dataFormat: 'NHWC'}},
  ...[true, false].flatMap(training => ['NCHW', 'NHWC'].map(dataFormat => ({
    name: MsBatchNormGrad,
    inputs: {x: u(3, 2, 2, 2), gamma: u(2), runningMean: u(2), runningVar: pos(2), dy: u(3, 2, 2, 2)},
    attrs: {training, epsilon: 1e-5, dataFormat},
  }))),
  ...[[1, 1, [3, 4]], [2, 1, [3, 4]], [1, 2, [4]], [0, 0, [2, 3, 4]], [2, 2, [4]]].map(
      ([bna, bpa, p]) => ({
        name: MsLayerNorm,
        inputs: {x: u(2, 3, 4), gamma: u(...(p as number[])), beta: u(...(p as number[]))},
        attrs: {beginNormAxis: bna, beginParamsAxis: bpa, epsilon: 1e-7},
      })),
  {name: MsLayerNormGrad, inputs: {x: u(2, 3, 4), gamma: u(3, 4), dy: u(2, 3, 4)},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
  {name: MsLayerNormGrad, inputs: {x: u(2, 3, 4), gamma: u(4), dy: u(2, 3, 4)},
   attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: 1e-5}},
  {name: MsLayerNormGrad,
   inputs: {x: u(2, 3, 4), gamma: u(3, 4), dy: u(2, 3, 4), dmean: u(2, 3, 1), dvariance: u(2, 3, 1)},
   attrs: {beginNormAxis: 2, beginParamsAxis: 1, epsilon: 1e-5}},
  {name: MsInstanceNorm, inputs: {x: u(2, 3, 5), gamma: u(3), beta: u(3)}, attrs: {epsilon: 1e-5}},
  {name: MsInstanceNorm, inputs: {x: u(2, 2, 3, 2), gamma: u(2), beta: u(2)}, attrs: {epsilon: 1e-3}},
  {name: MsInstanceNormGrad, inputs: {x: u(2, 3, 5), gamma: u(3), dy: u(2, 3, 5)}, attrs: {epsilon: 1e-5}},
  // Empty inputs: an empty batch leaves the running statistics; empty slices give zeros.
  {name: MsBatchNormTraining, inputs: bnInputs([0, 3], 3), attrs: BN_ATTRS},
  {name: MsBatchNormGrad,
   inputs: {x: u(0, 2, 3), gamma: u(2), runningMean: u(2), runningVar: pos(2), dy: u(0, 2, 3)},
   attrs: {training: true, epsilon: 1e-5, dataFormat: 'NCHW'}},
  {name: MsGroupNorm, inputs: {x: u(2, 4, 0), gamma: u(4), beta: u(4)}, attrs: {numGroups: 2, epsilon: 1e-5}},
  {name: MsGroupNormGrad, inputs: {x: u(2, 4, 0), gamma: u(4), dy: u(2, 4, 0)},
   attrs: {numGroups: 2, epsilon: 1e-5}},
  {name: MsInstanceNormGrad, inputs: {x: u(0, 3, 2), gamma: u(3), dy: u(0, 3, 2)}, attrs: {epsilon: 1e-5}},
  {name: MsLayerNormGrad, inputs: {x: u(0, 4), gamma: u(4), dy: u(0, 4)},
   attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7}},
];

/** Seeded values for a case's inputs (plain arrays, so each backend makes its own tensors). */
function caseValues(c: KernelCase, seed: number): Record<string, Float32Array> {
  const next = rng(seed);
  const out: Record<string, Float32Array> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    out[name] = randomValues(sizeOf(spec.shape), next, spec.lo ?? -2, spec.hi ?? 2);
  }
  return out;
}

interface Outputs {
  shapes: number[][];
  values: number[][];
}

/** Runs a kernel on the current backend; returns its outputs as arrays and checks for leaks. */
function runKernel(c: KernelCase, values: Record<string, Float32Array>): Outputs {
  const before = tf.memory().numTensors;
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    inputs[name] = tf.tensor(values[name]!, spec.shape);
  }
  const result = tf.engine().runKernel(c.name, inputs, c.attrs as tf.NamedAttrMap);
  const outs = Array.isArray(result) ? result : [result];
  const out = {shapes: outs.map(t => t.shape), values: outs.map(t => Array.from(t.dataSync()))};
  tf.dispose([...outs, ...Object.values(inputs)]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  expect(await tf.setBackend(name)).toBe(true);
  expect(tf.getBackend()).toBe(name);
  return fn();
}

// The wasm backend's native kernels are the SIMD module's (test/simd); with the
// SIMD flag off they run the composed fallbacks tested here, against the
// JavaScript cpu kernels.
beforeAll(() => {
  tf.env().set(SIMD_FLAG, false);
});

afterAll(async () => {
  tf.env().set(SIMD_FLAG, true);
  await tf.setBackend('cpu');
});

describe('fallback kernels on wasm', () => {
  it('are registered for wasm for every kernel name, without replacing native kernels', () => {
    for (const name of KERNEL_NAMES) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
    const cpuBefore = KERNEL_NAMES.map(n => tf.getKernel(n, 'cpu')!.kernelFunc);
    registerFallbackKernels('cpu');
    expect(KERNEL_NAMES.map(n => tf.getKernel(n, 'cpu')!.kernelFunc)).toEqual(cpuBefore);
  });

  it('registerFallbackKernels registers every kernel for another backend name, idempotently', () => {
    registerFallbackKernels('someFutureBackend');
    const first = KERNEL_NAMES.map(n => tf.getKernel(n, 'someFutureBackend')!.kernelFunc);
    registerFallbackKernels('someFutureBackend');
    expect(KERNEL_NAMES.map(n => tf.getKernel(n, 'someFutureBackend')!.kernelFunc)).toEqual(first);
    for (const name of KERNEL_NAMES) {
      tf.unregisterKernel(name, 'someFutureBackend');
    }
  });

  it('covers every kernel name in the cases below', () => {
    expect([...new Set(CASES.map(c => c.name))].sort()).toEqual([...KERNEL_NAMES].sort());
  });

  CASES.forEach((c, i) => {
    it(`${c.name} #${i} (${JSON.stringify(c.attrs)}) matches the CPU kernel within 1e-5, no leak`,
       async () => {
         const values = caseValues(c, 100 + i);
         const cpu = await onBackend('cpu', () => runKernel(c, values));
         const wasm = await onBackend('wasm', () => runKernel(c, values));
         expect(wasm.shapes).toEqual(cpu.shapes);
         cpu.values.forEach((v, k) => expectClose(wasm.values[k]!, v, 1e-5, 1e-5));
       });
  });

  describe('gradients through the ops', () => {
    // Each entry: tensors' shapes and a scalar loss of them built with the package's ops.
    const grads: Array<{name: string, shapes: number[][], loss: (...t: tf.Tensor[]) => tf.Scalar}> = [
      {name: 'l2Normalize', shapes: [[2, 3, 4]], loss: x => tf.sum(tf.mul(l2Normalize(x, 1), x))},
      {name: 'lrn', shapes: [[1, 4, 2, 2]],
       loss: x => tf.sum(tf.mul(lrn(x, 1, 1, 0.5, 0.75), x))},
      {name: 'groupNorm', shapes: [[2, 4, 3], [4], [4]],
       loss: (x, g, b) => tf.sum(tf.square(groupNorm(x, 2, g, b)))},
      {name: 'batchNorm (training)', shapes: [[4, 3, 2], [3], [3]], loss: (x, g, b) => {
         const {y, runningMean, runningVar} =
             batchNorm(x, tf.zeros([3]), tf.ones([3]), g, b, {training: true});
         return tf.add(tf.sum(tf.sin(y)), tf.sum(tf.mul(runningMean, runningVar)));
       }},
      {name: 'batchNorm (inference, NHWC)', shapes: [[2, 2, 3], [3], [3]],
       loss: (x, g, b) => tf.sum(tf.square(batchNorm(x, tf.fill([3], 0.5), tf.fill([3], 2), g, b,
                                                     {dataFormat: 'NHWC'}).y))},
      {name: 'layerNorm (y, mean, variance)', shapes: [[2, 3, 4], [4], [4]], loss: (x, g, b) => {
         const {y, mean, variance} = layerNorm(x, g, b, {beginNormAxis: 1, beginParamsAxis: 2});
         return tf.add(tf.sum(tf.sin(y)), tf.sum(tf.mul(mean, variance)));
       }},
      {name: 'instanceNorm', shapes: [[2, 3, 4], [3], [3]],
       loss: (x, g, b) => tf.sum(tf.sin(instanceNorm(x, g, b)))},
    ];

    grads.forEach(({name, shapes, loss}, i) => {
      it(`${name}: gradients on wasm match the CPU within 1e-5, no leak`, async () => {
        const next = rng(500 + i);
        const values = shapes.map(s => randomValues(sizeOf(s), next, -2, 2));
        const run = () => {
          const before = tf.memory().numTensors;
          const args = values.map((v, k) => tf.tensor(v, shapes[k]));
          const gs = tf.grads(loss)(args);
          const out = gs.map(g => Array.from(g.dataSync()));
          tf.dispose([...gs, ...args]);
          expect(tf.memory().numTensors).toBe(before);
          return out;
        };
        const cpu = await onBackend('cpu', run);
        const wasm = await onBackend('wasm', run);
        cpu.forEach((g, k) => {
          expect(maxAbsDiff(g, new Array(g.length).fill(0))).toBeGreaterThan(0);
          expectClose(wasm[k]!, g, 1e-5, 1e-5);
        });
      });
    });
  });

  it('a model of every layer predicts and trains one step on wasm as on the CPU', async () => {
    const build = () => tfl.sequential({
      layers: [
        layers.batchNorm2d({numFeatures: 4, inputShape: [4, 3, 3], name: 'bn'}),
        layers.groupNorm({numGroups: 2, numChannels: 4, name: 'gn'}),
        layers.lrn({depthRadius: 1, alpha: 0.1, beta: 0.75, name: 'lrn'}),
        layers.instanceNorm2d({numFeatures: 4, name: 'in'}),
        layers.layerNorm({normalizedShape: [3, 3], beginNormAxis: 2, beginParamsAxis: 2, name: 'ln'}),
        layers.l2Normalize({axis: 1, name: 'l2'}),
      ],
    });
    const next = rng(900);
    const x = randomValues(2 * 4 * 9, next, -2, 2);
    const target = randomValues(2 * 4 * 9, next, -1, 1);
    const init = build().getWeights().map(w => randomValues(w.size, next, 0.5, 1.5));
    const run = async () => {
      const before = tf.memory().numTensors;
      const model = build();
      const initial = init.map((v, k) => tf.tensor(v, model.weights[k]!.shape as number[]));
      model.setWeights(initial);
      tf.dispose(initial);
      const optimizer = tf.train.sgd(0.5);
      model.compile({optimizer, loss: 'meanSquaredError'});
      const xs = tf.tensor(x, [2, 4, 3, 3]);
      const ys = tf.tensor(target, [2, 4, 3, 3]);
      const y = model.predict(xs) as tf.Tensor;
      const predicted = Array.from(y.dataSync());
      await model.fit(xs, ys, {batchSize: 2, epochs: 1, shuffle: false, verbose: 0});
      const weights = model.getWeights().map(w => Array.from(w.dataSync()));
      tf.dispose([xs, ys, y]);
      model.dispose();
      optimizer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return {predicted, weights};
    };
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expectClose(wasm.predicted, cpu.predicted, 1e-5, 1e-5);
    cpu.weights.forEach((w, k) => expectClose(wasm.weights[k]!, w, 1e-5, 1e-5));
    // Training moved the trainable weights and the moving statistics.
    expect(maxAbsDiff(cpu.weights[0]!, init[0]!)).toBeGreaterThan(1e-4);
  });
});
