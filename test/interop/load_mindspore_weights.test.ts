// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {loadMindSporeWeights, readMindSporeCheckpoint, saveMindSporeCheckpoint} from '../../src';
import * as layers from '../../src/layers';
import {CONV_WEIGHT, HAND_ASSEMBLED_PATH, WRITER_PATH} from '../io/fixtures';
import {batchNormRef, expectClose, expectNoLeak, groupNormRef, randomValues, rng, sizeOf} from '../test_util';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 2;
const CIN = 2;
const C = 4;
const HW = 9;  // 3 x 3

/** conv (1x1, no bias, NCHW) -> BatchNorm2d -> GroupNorm(2 groups), as the fixtures describe. */
function convBnGn(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({filters: C, kernelSize: 1, useBias: false, dataFormat: 'channelsFirst',
                         inputShape: [CIN, 3, 3], name: 'conv'}),
      layers.batchNorm2d({numFeatures: C, name: 'bn'}),
      layers.groupNorm({numGroups: 2, numChannels: C, name: 'gn'}),
    ],
  });
}

interface Params {
  conv: number[];  // MindSpore layout [out, in, 1, 1]
  bnGamma: number[];
  bnBeta: number[];
  bnMean: number[];
  bnVar: number[];
  gnGamma: number[];
  gnBeta: number[];
}

/** float64 forward of convBnGn in inference (MindSpore: BatchNorm with moving stats, GroupNorm biased). */
function convBnGnRef(x: ArrayLike<number>, p: Params): number[] {
  return convBnGnRefWith(x, CIN, p);
}

/** The same with `cin` input channels (conv weight [C, cin, 1, 1]). */
function convBnGnRefWith(x: ArrayLike<number>, cin: number, p: Params): number[] {
  const eps = 1e-5;
  const conv = new Float64Array(N * C * HW);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < C; o++) {
      for (let s = 0; s < HW; s++) {
        for (let i = 0; i < cin; i++) {
          conv[(n * C + o) * HW + s] += p.conv[o * cin + i]! * x[(n * cin + i) * HW + s]!;
        }
      }
    }
  }
  const shape = [N, C, HW];
  const bn = batchNormRef(conv, shape, {
    axis: 1, training: false, runningMean: p.bnMean, runningVar: p.bnVar, gamma: p.bnGamma,
    beta: p.bnBeta, eps,
  });
  return Array.from(groupNormRef(bn, shape, 2, p.gnGamma, p.gnBeta, eps));
}

/** The BatchNorm and GroupNorm values of the fixtures (test/io/fixtures.ts), written out here. */
const FIXTURE_NORM_PARAMS = {
  bnGamma: [1, 1.5, 0.5, 2],
  bnBeta: [0, 0.25, -0.25, 1],
  bnMean: [0.1, -0.2, 0.3, 0],
  bnVar: [1, 0.5, 2, 4],
  gnGamma: [1, 2, 0.5, -1.5],
  gnBeta: [0, 0.375, -3, 3.140625],
};

function predictValues(model: tfl.LayersModel, x: tf.Tensor): number[] {
  const y = model.predict(x) as tf.Tensor;
  const v = Array.from(y.dataSync());
  y.dispose();
  return v;
}

function disposeAll(m: Map<string, tf.Tensor>): void {
  tf.dispose([...m.values()]);
}

describe('loadMindSporeWeights', () => {
  it('loads the hand-assembled checkpoint into conv + BatchNorm2d + GroupNorm; outputs match float64', () => {
    const model = convBnGn();
    const ckpt = readMindSporeCheckpoint(HAND_ASSEMBLED_PATH);
    const result = loadMindSporeWeights(model, ckpt);
    expect(result.assigned).toEqual(['conv.weight', 'bn.gamma', 'bn.beta', 'bn.moving_mean',
                                     'bn.moving_variance', 'gn.gamma', 'gn.beta']);
    expect(result.unmatchedCheckpoint).toEqual(['embedding.ids', 'dropout.keep']);
    expect(result.unmatchedWeights).toEqual([]);
    disposeAll(ckpt);

    const x = tf.tensor(randomValues(N * CIN * HW, rng(1), -2, 2), [N, CIN, 3, 3]);
    // The fixture's values (test/io/fixtures.ts), written out here.
    const ref = convBnGnRef(x.dataSync(), {
      conv: CONV_WEIGHT,
      ...FIXTURE_NORM_PARAMS,
    });
    expectClose(predictValues(model, x), ref, 1e-5);
    x.dispose();
  });

  it('loads the committed writer fixture (writer_bn_gn.ckpt) into BatchNorm2d + GroupNorm', () => {
    const model = tfl.sequential({
      layers: [
        layers.batchNorm2d({numFeatures: C, inputShape: [C, 3, 3], name: 'bn'}),
        layers.groupNorm({numGroups: 2, numChannels: C, name: 'gn'}),
      ],
    });
    const ckpt = readMindSporeCheckpoint(WRITER_PATH);
    const result = loadMindSporeWeights(model, ckpt);
    expect(result.assigned).toEqual(['bn.gamma', 'bn.beta', 'bn.moving_mean', 'bn.moving_variance',
                                     'gn.gamma', 'gn.beta']);
    expect(result.unmatchedCheckpoint).toEqual(['scale', 'mask']);
    expect(result.unmatchedWeights).toEqual([]);
    disposeAll(ckpt);
    const x = tf.tensor(randomValues(N * C * HW, rng(7), -2, 2), [N, C, 3, 3]);
    // No conv in this model: the reference runs an identity 1x1 conv.
    const eye = Array.from({length: C * C}, (_, k) => (k % (C + 1) === 0 ? 1 : 0));
    const ref = convBnGnRefWith(x.dataSync(), C, {
      conv: eye,
      ...FIXTURE_NORM_PARAMS,
    });
    expectClose(predictValues(model, x), ref, 1e-5);
    x.dispose();
  });

  it('round-trips a written checkpoint with MindSpore names (mean/variance) through a nameMap', () => {
    const next = rng(2);
    const p: Params = {
      conv: Array.from(randomValues(C * CIN, next)),
      bnGamma: Array.from(randomValues(C, next, 0.5, 2)),
      bnBeta: Array.from(randomValues(C, next)),
      bnMean: Array.from(randomValues(C, next)),
      bnVar: Array.from(randomValues(C, next, 0.2, 3)),
      gnGamma: Array.from(randomValues(C, next, -2, 2)),
      gnBeta: Array.from(randomValues(C, next)),
    };
    const tensors = new Map<string, tf.Tensor>([
      ['backbone.conv1.weight', tf.tensor(p.conv, [C, CIN, 1, 1])],
      ['backbone.bn1.gamma', tf.tensor1d(p.bnGamma)],
      ['backbone.bn1.beta', tf.tensor1d(p.bnBeta)],
      ['backbone.bn1.mean', tf.tensor1d(p.bnMean)],
      ['backbone.bn1.variance', tf.tensor1d(p.bnVar)],
      ['backbone.gn1.gamma', tf.tensor1d(p.gnGamma)],
      ['backbone.gn1.beta', tf.tensor1d(p.gnBeta)],
      ['head.fc.weight', tf.zeros([3, 8])],
    ]);
    const bytes = saveMindSporeCheckpoint(tensors);
    disposeAll(tensors);
    const ckpt = readMindSporeCheckpoint(bytes);

    const model = convBnGn();
    const result = loadMindSporeWeights(model, ckpt, {
      nameMap: {'backbone.conv1': 'conv', 'backbone.bn1': 'bn', 'backbone.gn1.gamma': 'gn/gamma',
                'backbone.gn1.beta': 'gn/beta'},
    });
    expect(result.assigned.length).toBe(7);
    expect(result.unmatchedCheckpoint).toEqual(['head.fc.weight']);
    expect(result.unmatchedWeights).toEqual([]);
    disposeAll(ckpt);

    const x = tf.tensor(randomValues(N * CIN * HW, next, -2, 2), [N, CIN, 3, 3]);
    expectClose(predictValues(model, x), convBnGnRef(x.dataSync(), p), 1e-5);
    x.dispose();
  });

  it("transposes a Dense weight from MindSpore's [out, in] and takes a function nameMap", () => {
    const model = tfl.sequential(
        {layers: [tfl.layers.dense({units: 2, inputShape: [3], name: 'fc'})]});
    const ckpt = new Map<string, tf.Tensor>([
      ['net.fc.weight', tf.tensor2d([[1, 2, 3], [4, 5, 6]])],
      ['net.fc.bias', tf.tensor1d([0.5, -0.5])],
      ['net.other.weight', tf.ones([2])],
    ]);
    const result = loadMindSporeWeights(
        model, ckpt, {nameMap: tag => tag.startsWith('net.fc.') ? tag.slice(4) : null});
    expect(result).toEqual({assigned: ['net.fc.weight', 'net.fc.bias'],
                            unmatchedCheckpoint: ['net.other.weight'], unmatchedWeights: []});
    const y = model.predict(tf.tensor2d([[1, 1, 2]])) as tf.Tensor;
    // W x + b with W = [[1, 2, 3], [4, 5, 6]]: [1 + 2 + 6 + 0.5, 4 + 5 + 12 - 0.5]
    expectClose(y.dataSync(), [9.5, 20.5], 1e-6);
    tf.dispose([y, ...ckpt.values()]);
  });

  it("transposes a Conv1D weight from MindSpore's [out, in, k] and the older [out, in, 1, k]", () => {
    const [L, cin, out, k] = [5, 2, 3, 2];
    const w = Array.from(randomValues(out * cin * k, rng(41), -1, 1));  // w[o][i][j]
    const xs = randomValues(L * cin, rng(42), -2, 2);  // x[l][i] (tfjs's channels-last)
    // float64: y[l][o] = sum_i sum_j w[o][i][j] * x[l + j][i], 'valid' padding.
    const ref: number[] = [];
    for (let l = 0; l + k <= L; l++) {
      for (let o = 0; o < out; o++) {
        let v = 0;
        for (let i = 0; i < cin; i++) {
          for (let j = 0; j < k; j++) {
            v += w[(o * cin + i) * k + j] * xs[(l + j) * cin + i];
          }
        }
        ref.push(v);
      }
    }
    for (const msShape of [[out, cin, k], [out, cin, 1, k]]) {
      const model = tfl.sequential({layers: [tfl.layers.conv1d(
          {filters: out, kernelSize: k, useBias: false, inputShape: [L, cin], name: 'c1'})]});
      const ckpt = new Map([['c1.weight', tf.tensor(w, msShape)]]);
      expect(loadMindSporeWeights(model, ckpt).assigned).toEqual(['c1.weight']);
      const x = tf.tensor(xs, [1, L, cin]);
      expectClose(predictValues(model, x), ref, 1e-5);
      tf.dispose([x, ...ckpt.values()]);
    }
  });

  it("transposes a Conv2DTranspose weight from MindSpore's [in, out, kh, kw]", () => {
    const [H, W, cin, out, kh, kw] = [2, 3, 2, 3, 2, 2];
    const w = Array.from(randomValues(cin * out * kh * kw, rng(43), -1, 1));  // w[i][o][a][b]
    const xs = randomValues(H * W * cin, rng(44), -2, 2);  // x[h][w][i] (channels-last)
    // float64, stride 1, 'valid': y[h + a][w + b][o] += x[h][w][i] * w[i][o][a][b].
    const [OH, OW] = [H + kh - 1, W + kw - 1];
    const ref = new Array<number>(OH * OW * out).fill(0);
    for (let h = 0; h < H; h++) {
      for (let x = 0; x < W; x++) {
        for (let i = 0; i < cin; i++) {
          for (let o = 0; o < out; o++) {
            for (let a = 0; a < kh; a++) {
              for (let b = 0; b < kw; b++) {
                ref[((h + a) * OW + x + b) * out + o] +=
                    xs[(h * W + x) * cin + i] * w[((i * out + o) * kh + a) * kw + b];
              }
            }
          }
        }
      }
    }
    const model = tfl.sequential({layers: [tfl.layers.conv2dTranspose(
        {filters: out, kernelSize: [kh, kw], useBias: false, inputShape: [H, W, cin], name: 'up'})]});
    const ckpt = new Map([['up.weight', tf.tensor(w, [cin, out, kh, kw])]]);
    expect(loadMindSporeWeights(model, ckpt).assigned).toEqual(['up.weight']);
    const x = tf.tensor(xs, [1, H, W, cin]);
    expectClose(predictValues(model, x), ref, 1e-5);
    tf.dispose([x, ...ckpt.values()]);
  });

  it('tells a nested layer from an outer one of the same name by its path in nameMap', () => {
    const backbone = tfl.sequential({name: 'backbone', layers: [
      layers.batchNorm1d({numFeatures: 2, inputShape: [2], name: 'bn'})]});
    const model = tfl.sequential({layers: [backbone, layers.batchNorm1d({numFeatures: 2, name: 'bn'})]});
    const ckpt = new Map<string, tf.Tensor>([
      ['backbone.bn.gamma', tf.tensor1d([2, 3])], ['bn.gamma', tf.tensor1d([4, 5])],
    ]);
    const result = loadMindSporeWeights(model, ckpt, {
      nameMap: tag => tag.startsWith('backbone.') ? 'backbone/bn/gamma' : '/bn/gamma',
    });
    expect(result.assigned).toEqual(['backbone.bn.gamma', 'bn.gamma']);
    const gammaOf = (l: tfl.layers.Layer) => Array.from(l.getWeights()[0].dataSync());
    expect(gammaOf(backbone.getLayer('bn'))).toEqual([2, 3]);
    expect(gammaOf(model.layers[1])).toEqual([4, 5]);
    disposeAll(ckpt);
  });

  it('loads the held moving statistics of InstanceNorm2d (mean/variance names)', () => {
    const model = tfl.sequential(
        {layers: [layers.instanceNorm2d({numFeatures: 2, inputShape: [2, 2, 2], name: 'in'})]});
    const ckpt = new Map<string, tf.Tensor>([
      ['in.gamma', tf.tensor1d([2, 3])], ['in.beta', tf.tensor1d([1, 0])],
      ['in.mean', tf.tensor1d([5, 6])], ['in.variance', tf.tensor1d([7, 8])],
    ]);
    const result = loadMindSporeWeights(model, ckpt);
    expect(result.unmatchedWeights).toEqual([]);
    const values = model.layers[0].getWeights().map(w => Array.from(w.dataSync()));
    expect(values).toEqual([[2, 3], [1, 0], [5, 6], [7, 8]]);
    disposeAll(ckpt);
  });

  it('rejects a wrong shape naming the tensor, the expected and given shape; the model is unchanged', () => {
    const model = convBnGn();
    const before = model.getWeights().map(w => Array.from(w.dataSync()));
    const ckpt = new Map<string, tf.Tensor>([
      ['bn.gamma', tf.ones([4])],
      ['gn.beta', tf.ones([3])],
    ]);
    const numTensors = tf.memory().numTensors;
    expect(() => loadMindSporeWeights(model, ckpt)).toThrow(
        "loadMindSporeWeights: checkpoint tensor 'gn.beta' has shape [3], but weight 'gn/beta' " +
        'expects [4].');
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(model.getWeights().map(w => Array.from(w.dataSync()))).toEqual(before);
    disposeAll(ckpt);
  });

  it("names MindSpore's kernel layout when a conv weight does not fit", () => {
    const model = convBnGn();
    const ckpt = new Map<string, tf.Tensor>([['conv.weight', tf.ones([4, 3, 1, 1])]]);
    expect(() => loadMindSporeWeights(model, ckpt)).toThrow(
        "loadMindSporeWeights: checkpoint tensor 'conv.weight' has shape [4,3,1,1], but weight " +
        "'conv/kernel' expects [1,1,2,4] (MindSpore's [out, in, kh, kw] layout: [4,2,1,1] expected).");
    disposeAll(ckpt);
  });

  it('rejects two tensors for one weight, and bad arguments', () => {
    const model = convBnGn();
    const ckpt = new Map<string, tf.Tensor>([
      ['bn.moving_mean', tf.zeros([4])], ['bn.mean', tf.zeros([4])],
    ]);
    expect(() => loadMindSporeWeights(model, ckpt)).toThrow(
        "loadMindSporeWeights: checkpoint tensors 'bn.moving_mean' and 'bn.mean' both map to " +
        "weight 'bn/moving_mean'.");
    expect(() => loadMindSporeWeights({} as tfl.LayersModel, ckpt)).toThrow(
        /loadMindSporeWeights: 'model' must be a tf.LayersModel/);
    expect(() => loadMindSporeWeights(model, null as unknown as Map<string, tf.Tensor>)).toThrow(
        /'checkpoint' must be a Map/);
    disposeAll(ckpt);
    const disposed = new Map([['bn.gamma', tf.ones([4])]]);
    disposeAll(disposed);
    expect(() => loadMindSporeWeights(model, disposed)).toThrow(/'checkpoint\['bn.gamma'\]' must be a live tf.Tensor/);
  });

  it('leaks no tensor and leaves the checkpoint usable', () => {
    const model = convBnGn();
    const ckpt = new Map<string, tf.Tensor>([
      ['conv.weight', tf.tensor(randomValues(8, rng(3)), [4, 2, 1, 1])],
      ['bn.gamma', tf.tensor1d([1, 2, 3, 4])],
      ['gn.gamma', tf.tensor1d([1, 2, 3, 4], 'int32')],
    ]);
    expectNoLeak(() => loadMindSporeWeights(model, ckpt));
    expect(Array.from(ckpt.get('bn.gamma')!.dataSync())).toEqual([1, 2, 3, 4]);
    disposeAll(ckpt);
    // The model's variables keep their own reference to the values.
    expectClose(model.getLayer('bn').getWeights()[0].dataSync(), [1, 2, 3, 4], 0);
    expectClose(model.getLayer('gn').getWeights()[0].dataSync(), [1, 2, 3, 4], 0);
    expect(sizeOf(model.getLayer('conv').getWeights()[0].shape)).toBe(8);
  });
});
