// SPDX-License-Identifier: Apache-2.0
/**
 * Repetition on every backend: every op, its gradients, and every
 * layer in training and inference, run ITERATIONS times in the page with the
 * outputs read back and disposed each time. After a warm-up run, tf.memory().numTensors, numDataBuffers and numBytesInGPU
 * (textures in use, not tfjs's pool of free ones) must not move.
 */
import {describeEachBackend} from '../backends/backend_under_test';
import {onGpu} from '../backends/backends';

const ITERATIONS = 200;

/** Memory counters recorded in the page every tenth of the run. */
interface Trace {
  numTensors: number[];
  numDataBuffers: number[];
  numBytesInGPU: number[];
  backend: string;
}

/** The ops run in the page (names resolved there: functions cannot cross page.evaluate). */
const OPS = [
  'l2Normalize', 'l2Normalize over two axes', 'lrn', 'groupNorm', 'batchNorm training',
  'batchNorm inference', 'batchNorm training (NHWC)', 'layerNorm', 'layerNorm (all outputs)',
  'instanceNorm',
] as const;
type OpName = typeof OPS[number];

const LAYERS = [
  'L2Normalize', 'LRN', 'GroupNorm', 'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'LayerNorm',
  'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d',
] as const;
type LayerName = typeof LAYERS[number];

function expectFlat(trace: Trace, what: string, backend: string, onGpu: boolean): void {
  const flat = (v: number[]) => v.every(x => x === v[0]);
  expect({what, backend: trace.backend}).toEqual({what, backend});
  expect({what, trace, flat: flat(trace.numTensors) && flat(trace.numDataBuffers) &&
                             flat(trace.numBytesInGPU)})
      .toEqual({what, trace, flat: true});
  if (onGpu) {
    expect(trace.numBytesInGPU[0]).toBeGreaterThan(0);
  }
}

describeEachBackend(`${ITERATIONS} repetitions leave memory flat`, b => {
  for (const name of OPS) {
    it(`${name}: forward and gradients`, async () => {
      const trace = await b.evaluate(async (h, [op, n]: [OpName, number]) => {
        const {tf, ms} = h;
        const g4 = tf.tensor([1.5, 0.5, 2, 1]);
        const b4 = tf.tensor([0.1, -0.2, 0.3, 0]);
        const m4 = tf.tensor([0.5, -1, 0, 2]);
        const v4 = tf.tensor([1, 4, 0.25, 2]);
        const bn = (x: import('@tensorflow/tfjs-core').Tensor, g: typeof g4, b: typeof b4,
                    training: boolean, dataFormat: 'NCHW'|'NHWC') => {
          const r = ms.batchNorm(x, m4, v4, g, b, {training, dataFormat});
          tf.dispose([r.runningMean, r.runningVar]);
          return r.y;
        };
        type F = (x: typeof g4, g: typeof g4, b: typeof b4) => typeof g4;
        // [shape, op, whether gamma/beta are inputs (gradients for them too)]
        const table: Record<string, [number[], F, boolean]> = {
          'l2Normalize': [[3, 4], x => ms.l2Normalize(x, 1), false],
          'l2Normalize over two axes': [[2, 3, 4], x => ms.l2Normalize(x, [0, 2]), false],
          'lrn': [[2, 4, 3, 2], x => ms.lrn(x, 2, 1, 1e-3, 0.75), false],
          'groupNorm': [[2, 4, 3], (x, g, b) => ms.groupNorm(x, 2, g, b), true],
          'batchNorm training': [[3, 4, 2], (x, g, b) => bn(x, g, b, true, 'NCHW'), true],
          'batchNorm inference': [[3, 4, 2], (x, g, b) => bn(x, g, b, false, 'NCHW'), true],
          'batchNorm training (NHWC)': [[3, 2, 4], (x, g, b) => bn(x, g, b, true, 'NHWC'), true],
          'layerNorm': [[3, 4], (x, g, b) => {
            const r = ms.layerNorm(x, g, b, {beginNormAxis: -1, beginParamsAxis: -1});
            tf.dispose([r.mean, r.variance]);
            return r.y;
          }, true],
          // y, mean and variance all on the gradient path.
          'layerNorm (all outputs)': [[2, 3, 4], (x, g, b) => tf.tidy(() => {
            const r = ms.layerNorm(x, tf.reshape(tf.tile(g, [3]), [3, 4]),
                                   tf.reshape(tf.tile(b, [3]), [3, 4]),
                                   {beginNormAxis: 1, beginParamsAxis: 1});
            return tf.add(r.y, tf.add(r.mean, r.variance));
          }), true],
          'instanceNorm': [[2, 4, 3], (x, g, b) => ms.instanceNorm(x, g, b), true],
        };
        const [shape, f, affine] = table[op];
        const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
        const grads = affine ?
            tf.grads((a: typeof x, g: typeof g4, b: typeof b4) => f(a, g, b)) :
            (xs: Array<typeof x>, d: typeof x) => [tf.grad((a: typeof x) => f(a, g4, b4))(xs[0], d)];
        const step = async () => {
          const y = f(x, g4, b4);
          const d = grads([x, g4, b4], dy);
          await Promise.all([y, ...d].map(t => t.data()));
          tf.dispose([y, ...d]);
        };
        const trace = await h.traceRepeats(step, n);
        tf.dispose([x, dy, g4, b4, m4, v4]);
        return trace;
      }, [name, ITERATIONS] as [OpName, number]);
      expectFlat(trace, name, b.backend, onGpu(b));
    }, 120000);
  }

  for (const name of LAYERS) {
    it(`${name} layer: inference calls, training calls and training steps`, async () => {
      const trace = await b.evaluate(async (h, [layerName, n]: [LayerName, number]) => {
        const {tf, ms} = h;
        const table = {
          'L2Normalize': [[2, 4], () => ms.layers.l2Normalize({axis: 1})],
          'LRN': [[2, 4, 2, 2], () => ms.layers.lrn({depthRadius: 1})],
          'GroupNorm': [[2, 4, 3], () => ms.layers.groupNorm({numGroups: 2, numChannels: 4})],
          'BatchNorm1d': [[3, 4], () => ms.layers.batchNorm1d({numFeatures: 4})],
          'BatchNorm2d': [[2, 2, 2, 4],
                          () => ms.layers.batchNorm2d({numFeatures: 4, dataFormat: 'NHWC'})],
          'BatchNorm3d': [[2, 4, 1, 2, 2], () => ms.layers.batchNorm3d({numFeatures: 4})],
          'LayerNorm': [[3, 2, 4], () => ms.layers.layerNorm({normalizedShape: [4]})],
          'InstanceNorm1d': [[2, 4, 3], () => ms.layers.instanceNorm1d({numFeatures: 4})],
          'InstanceNorm2d': [[2, 4, 2, 2], () => ms.layers.instanceNorm2d({numFeatures: 4})],
          'InstanceNorm3d': [[1, 4, 2, 1, 2], () => ms.layers.instanceNorm3d({numFeatures: 4})],
        } as const;
        const [shape, make] = table[layerName];
        const layer = make();
        const x = tf.randomNormal(shape as unknown as number[], 0, 1, 'float32', 3);
        type T = typeof x;
        const loss = (t: T) => tf.sum(layer.apply(t, {training: true}) as T) as
            import('@tensorflow/tfjs-core').Scalar;
        const step = async () => {
          const outs: T[] = [layer.apply(x, {training: false}) as T,
                             layer.apply(x, {training: true}) as T, tf.grad(loss)(x)];
          if (layer.trainableWeights.length > 0) {
            const {value, grads} = tf.variableGrads(() => loss(x));
            outs.push(value, ...Object.values(grads));
          }
          await Promise.all(outs.map(t => t.data()));
          tf.dispose(outs);
        };
        const trace = await h.traceRepeats(step, n);
        x.dispose();
        layer.dispose();
        return trace;
      }, [name, ITERATIONS] as [LayerName, number]);
      expectFlat(trace, name, b.backend, onGpu(b));
    }, 120000);
  }
});
