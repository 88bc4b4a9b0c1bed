// SPDX-License-Identifier: Apache-2.0
/**
 * Repetition: 1000 calls of every op, of its gradient, and of every layer in
 * training and in inference leave tf.memory().numTensors and numBytes where
 * they were after the first (warm-up) call. Tensors are small: the point is
 * the count, not the arithmetic.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {batchNorm, groupNorm, instanceNorm, l2Normalize, layerNorm, layers, lrn, mint, rmsNorm, torchLocalResponseNorm, torchNormalize} from '../../src';
import {randomValues, rng, sizeOf} from '../test_util';

const ITERATIONS = 1000;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Runs `step` once to warm up, then ITERATIONS times, checking at every
 * hundredth iteration that the tensor count and byte count have not moved.
 */
function expectFlat(step: () => void): void {
  step();
  const start = tf.memory();
  for (let i = 1; i <= ITERATIONS; i++) {
    step();
    if (i % 100 === 0) {
      const now = tf.memory();
      expect({iteration: i, numTensors: now.numTensors, numBytes: now.numBytes})
          .toEqual({iteration: i, numTensors: start.numTensors, numBytes: start.numBytes});
    }
  }
}

/** A cheap toThrow for hot loops. */
function expectThrow(fn: () => unknown): void {
  try {
    fn();
  } catch {
    return;
  }
  throw new Error('expected the call to throw');
}

function tensorOf(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(sizeOf(shape), rng(seed)), shape);
}

interface OpRun {
  name: string;
  shape: number[];
  /** The op's main output (other outputs disposed inside). */
  f: (x: tf.Tensor) => tf.Tensor;
  /** A valid plain array of a rank the op rejects. */
  wrongRank: unknown;
}

const g4 = [1.5, 0.5, 2, 1];
const b4 = [0.1, -0.2, 0.3, 0];

const ops: OpRun[] = [
  {name: 'l2Normalize', shape: [3, 4], wrongRank: 5, f: x => l2Normalize(x, 1)},
  {name: 'l2Normalize over two axes', shape: [2, 3, 2], wrongRank: [1, 2], f: x => l2Normalize(x, [0, 2])},
  {name: 'lrn', shape: [2, 4, 2, 2], wrongRank: [[1, 2]], f: x => lrn(x, 2, 1, 1e-3, 0.75)},
  {name: 'groupNorm', shape: [2, 4, 3], wrongRank: [1, 2], f: x => groupNorm(x, 2, g4, b4)},
  {name: 'batchNorm training', shape: [3, 4, 2], wrongRank: [1, 2, 3, 4], f: x => {
    const r = batchNorm(x, [0, 0, 0, 0], [1, 1, 1, 1], g4, b4, {training: true});
    tf.dispose([r.runningMean, r.runningVar]);
    return r.y;
  }},
  {name: 'batchNorm inference (NHWC)', shape: [3, 2, 4], wrongRank: [1, 2, 3, 4], f: x => {
    const r = batchNorm(x, [0, 0, 0, 0], [1, 1, 1, 1], g4, b4, {dataFormat: 'NHWC'});
    tf.dispose([r.runningMean, r.runningVar]);
    return r.y;
  }},
  {name: 'layerNorm', shape: [3, 4], wrongRank: 5, f: x => {
    const r = layerNorm(x, g4, b4, {beginNormAxis: -1, beginParamsAxis: -1});
    tf.dispose([r.mean, r.variance]);
    return r.y;
  }},
  {name: 'layerNorm (y, mean and variance all on the gradient path)', shape: [3, 4], wrongRank: 5,
   f: x => {
    return tf.tidy(() => {
      const r = layerNorm(x, g4, b4, {beginNormAxis: 1, beginParamsAxis: 1});
      return tf.add(r.y, tf.add(r.mean, r.variance));
    });
  }},
  {name: 'instanceNorm', shape: [2, 4, 3], wrongRank: [[1, 2, 3, 4]], f: x => instanceNorm(x, g4, b4)},
  {name: 'torchNormalize (p = 3)', shape: [3, 4], wrongRank: 5, f: x => torchNormalize(x, 3)},
  {name: 'torchLocalResponseNorm', shape: [2, 4, 3], wrongRank: [1, 2],
   f: x => torchLocalResponseNorm(x, 3)},
  {name: 'rmsNorm', shape: [3, 4], wrongRank: 5, f: x => {
    const r = rmsNorm(x, g4);
    r.rstd.dispose();
    return r.y;
  }},
];

describe(`${ITERATIONS} repetitions leave memory flat`, () => {
  for (const op of ops) {
    it(`${op.name}: forward`, () => {
      const x = tensorOf(op.shape, 1);
      expectFlat(() => op.f(x).dispose());
      x.dispose();
    });

    it(`${op.name}: gradient`, () => {
      const x = tensorOf(op.shape, 2);
      const dy = tensorOf(op.shape, 3);
      const grad = tf.grad(op.f);
      expectFlat(() => grad(x, dy).dispose());
      tf.dispose([x, dy]);
    });

    it(`${op.name}: rejected plain-array input (converted tensors are released)`, () => {
      // A ragged array is rejected before conversion; a valid array of the wrong
      // rank is converted, then rejected: both paths must release everything.
      expectFlat(() => {
        expectThrow(() => op.f(op.wrongRank as tf.Tensor));
        expectThrow(() => op.f([[1, 2], [3]] as unknown as tf.Tensor));
      });
    });
  }

  it('gradients with respect to every input (x, gamma, beta) of the affine ops', () => {
    const x = tensorOf([2, 4, 3], 4);
    const gamma = tensorOf([4], 5);
    const beta = tensorOf([4], 6);
    const grads = [
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => groupNorm(a, 2, g, b)),
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => instanceNorm(a, g, b)),
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const r = batchNorm(a, [0, 0, 0, 0], [1, 1, 1, 1], g, b, {training: true});
        tf.dispose([r.runningMean, r.runningVar]);
        return r.y;
      }),
    ];
    expectFlat(() => grads.forEach(g => tf.dispose(g([x, gamma, beta]))));
    tf.dispose([x, gamma, beta]);
  });
});

// ---------------------------------------------------------------------------

interface LayerRun {
  name: string;
  make: () => tfl.layers.Layer;
  shape: number[];
}

const layerRuns: LayerRun[] = [
  {name: 'L2Normalize', make: () => layers.l2Normalize({axis: 1}), shape: [2, 4]},
  {name: 'LRN', make: () => layers.lrn({depthRadius: 1}), shape: [2, 4, 2, 2]},
  {name: 'GroupNorm', make: () => layers.groupNorm({numGroups: 2, numChannels: 4}),
   shape: [2, 4, 3]},
  {name: 'BatchNorm1d', make: () => layers.batchNorm1d({numFeatures: 4}), shape: [3, 4]},
  {name: 'BatchNorm2d (NHWC)', make: () => layers.batchNorm2d({numFeatures: 4, dataFormat: 'NHWC'}),
   shape: [2, 2, 2, 4]},
  {name: 'BatchNorm3d', make: () => layers.batchNorm3d({numFeatures: 4}), shape: [2, 4, 1, 2, 2]},
  {name: 'LayerNorm', make: () => layers.layerNorm({normalizedShape: [4]}), shape: [3, 4]},
  {name: 'InstanceNorm1d', make: () => layers.instanceNorm1d({numFeatures: 4}), shape: [2, 4, 3]},
  {name: 'InstanceNorm2d', make: () => layers.instanceNorm2d({numFeatures: 4}),
   shape: [2, 4, 2, 2]},
  {name: 'InstanceNorm3d', make: () => layers.instanceNorm3d({numFeatures: 4}),
   shape: [1, 4, 2, 1, 2]},
  {name: 'RMSNorm', make: () => layers.rmsNorm({normalizedShape: [4]}), shape: [3, 4]},
  {name: 'mint BatchNorm1d (momentum null)', make: () => mint.batchNorm1d({numFeatures: 4, momentum: null}),
   shape: [3, 4]},
  {name: 'mint BatchNorm2d (no running statistics)',
   make: () => mint.batchNorm2d({numFeatures: 4, trackRunningStats: false}), shape: [2, 4, 1, 2]},
  {name: 'mint GroupNorm', make: () => mint.groupNorm({numGroups: 2, numChannels: 4}),
   shape: [2, 4, 3]},
  {name: 'mint LayerNorm', make: () => mint.layerNorm({normalizedShape: 4, bias: false}),
   shape: [3, 4]},
];

describe(`${ITERATIONS} layer calls leave memory flat`, () => {
  for (const l of layerRuns) {
    it(`${l.name}: inference calls, training calls and training steps (gradients)`, () => {
      const layer = l.make();
      const x = tensorOf(l.shape, 7);
      expectFlat(() => {
        tf.dispose(layer.apply(x, {training: false}) as tf.Tensor);
        tf.dispose(layer.apply(x, {training: true}) as tf.Tensor);
        // A training step: gradients of a loss with respect to the input and
        // the trainable weights (if any).
        const loss = (t: tf.Tensor) =>
            tf.sum(layer.apply(t, {training: true}) as tf.Tensor) as tf.Scalar;
        tf.dispose(tf.grad(loss)(x));
        if (layer.trainableWeights.length > 0) {
          const {value, grads} = tf.variableGrads(() => loss(x));
          tf.dispose([value, ...Object.values(grads)]);
        }
      });
      x.dispose();
      layer.dispose();
    });
  }

  it('a model with every layer: predict() and a fit() epoch, repeated', async () => {
    const input = tfl.input({shape: [4, 2, 2]});
    let h = layers.lrn({depthRadius: 1}).apply(input) as tfl.SymbolicTensor;
    h = layers.batchNorm2d({numFeatures: 4}).apply(h) as tfl.SymbolicTensor;
    h = layers.groupNorm({numGroups: 2, numChannels: 4}).apply(h) as tfl.SymbolicTensor;
    h = layers.instanceNorm2d({numFeatures: 4}).apply(h) as tfl.SymbolicTensor;
    h = layers.layerNorm({normalizedShape: [2]}).apply(h) as tfl.SymbolicTensor;
    h = layers.l2Normalize({axis: 1}).apply(h) as tfl.SymbolicTensor;
    const out = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: out});
    model.compile({optimizer: 'sgd', loss: 'meanSquaredError'});
    const x = tensorOf([4, 4, 2, 2], 8);
    const y = tensorOf([4, 16], 9);
    const step = async () => {
      tf.dispose(model.predict(x) as tf.Tensor);
      await model.fit(x, y, {epochs: 1, batchSize: 4, verbose: 0});
    };
    await step();
    const start = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      await step();
    }
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([x, y]);
    model.dispose();
  });
});
