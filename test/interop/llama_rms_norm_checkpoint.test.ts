// SPDX-License-Identifier: Apache-2.0
/**
 * The RMSNorm weights of a real MindSpore checkpoint: golden-stick's one-layer
 * Llama 2 test model (test/fixtures/real_ckpt/SOURCES.md), whose three RMSNorm
 * weights (`model.layers.0.attention_norm.weight`, `.ffn_norm.weight`,
 * `model.norm_out.weight`, [40]) load into layers.RMSNorm; the forward pass
 * runs on the checkpoint's own (Float16) token embeddings.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as fs from 'fs';
import * as path from 'path';

import {loadMindSporeWeights, readMindSporeCheckpoint} from '../../src';
import * as layers from '../../src/layers';
import {expectClose, rmsNormRef} from '../test_util';

const CKPT = path.join(__dirname, '../fixtures/real_ckpt/goldenstick_llama2_tiny_fp16_rank0.ckpt');
const NORMS = ['model.layers.0.attention_norm', 'model.layers.0.ffn_norm', 'model.norm_out'];
const DIM = 40;
const TOKENS = [1, 450, 4996, 17354, 31999];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Three RMSNorm layers in a row, as the tags' cells (names without dots). */
function normModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: NORMS.map((cell, i) => layers.rmsNorm({
      normalizedShape: DIM, name: cell.replace(/\./g, '_'), ...(i === 0 ? {inputShape: [DIM]} : {}),
    })),
  });
}

describe('the tiny Llama 2 checkpoint\'s RMSNorm weights', () => {
  it('load into RMSNorm layers by their MindSpore names, and a forward pass matches float64',
     () => {
       const ckpt = readMindSporeCheckpoint(fs.readFileSync(CKPT));
       const model = normModel();
       // Start from other values, so loading is visible even where the checkpoint holds ones.
       model.setWeights(model.weights.map(() => tf.fill([DIM], 3)));
       const nameMap = Object.fromEntries(NORMS.map(c => [c, c.replace(/\./g, '_')]));
       const norms = new Map(NORMS.map(c => [`${c}.weight`, ckpt.get(`${c}.weight`)!]));
       const result = loadMindSporeWeights(model, norms, {nameMap});
       expect(result.assigned.sort()).toEqual(NORMS.map(c => `${c}.weight`).sort());
       expect(result.unmatchedWeights).toEqual([]);
       const weights = NORMS.map(c => Array.from(ckpt.get(`${c}.weight`)!.dataSync()));
       model.weights.forEach((w, i) => {
         expect(w.originalName).toBe(`${NORMS[i].replace(/\./g, '_')}/weight`);
         expect(Array.from(w.read().dataSync())).toEqual(weights[i]);
       });

       // Input: rows of the checkpoint's token embedding table ([32000, 40]).
       const table = ckpt.get('model.tok_embeddings.embedding_weight')!;
       expect(table.shape).toEqual([32000, DIM]);
       const rows = tf.gather(table, tf.tensor1d(TOKENS, 'int32'));
       const xv = Array.from(rows.dataSync());
       const y = model.predict(rows) as tf.Tensor;
       let expected: ArrayLike<number> = xv;
       for (const w of weights) {
         expected = rmsNormRef(expected, w, 1e-6).y;
       }
       expectClose(y.dataSync(), expected, 1e-6, 1e-5);
       // The first norm alone (weight ones): mean(y^2) = m / (m + eps) per token, m = mean(x^2).
       // The embeddings are small (m ~ 1e-4), so eps = 1e-6 shows at the 1% level.
       const first = model.layers[0].apply(rows) as tf.Tensor;
       const v = first.dataSync();
       const meanSq = (a: ArrayLike<number>, t: number) =>
           Array.from(a).slice(t * DIM, (t + 1) * DIM).reduce((s, b) => s + b * b, 0) / DIM;
       for (let t = 0; t < TOKENS.length; t++) {
         const m = meanSq(xv, t);
         expectClose([meanSq(v, t)], [m / (m + 1e-6)], 1e-6, 1e-5);
       }
       tf.dispose([rows, y, first, ...ckpt.values()]);
       model.dispose();
     });
});
