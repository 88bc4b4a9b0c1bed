/**
 * Reproduces every worked example of the seed documents (MindSpore API-mapping
 * pages) that this package supports, and prints input, the seed's expected
 * output, ours, and the max abs difference. Exits non-zero on a mismatch.
 *
 *   npm run demo
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

import '@tensorflow/tfjs-layers';

import * as ms from '../src';
import {SEED_CASES, SeedCase, seedValues} from '../test/fixtures/seeds';

/** Extra lines a runner wants printed after the comparison. */
const notes: string[] = [];

/** One runner per seed op: builds the input, runs our op, returns the output. */
const runners: Record<string, (c: SeedCase, x: tf.Tensor) => tf.Tensor> = {
  L2Normalize: (c, x) => ms.l2Normalize(x, c.args.axis as number, c.args.epsilon as number),
  LRN: (c, x) => ms.lrn(x, c.args.depth_radius as number, c.args.bias as number,
                        c.args.alpha as number, c.args.beta as number),
  // PyTorch's side of the seeds, through the package's clearly named contrast ops.
  TorchNormalize: (c, x) =>
      ms.torchNormalize(x, c.args.p as number, c.args.dim as number, c.args.eps as number),
  TorchLocalResponseNorm: (c, x) => ms.torchLocalResponseNorm(
      x, c.args.size as number, c.args.alpha as number, c.args.beta as number, c.args.k as number),
  GroupNorm: (c, x) => {
    // nn.GroupNorm(num_groups, num_channels, eps, affine): gamma = 1, beta = 0 initially.
    const layer = ms.layers.groupNorm({
      numGroups: c.args.num_groups as number, numChannels: c.args.num_channels as number,
      eps: c.args.eps as number, affine: c.args.affine as boolean,
    });
    return layer.apply(x) as tf.Tensor;
  },
  BatchNorm1d: (c, x) => {
    // nn.BatchNorm1d after set_train(): batch statistics, moving statistics updated with
    // MindSpore's momentum 0.9 (== op-level and PyTorch momentum 0.1).
    const layer = ms.layers.batchNorm1d({
      numFeatures: c.args.num_features as number, affine: c.args.affine as boolean,
      momentum: c.args.momentum as number,
    }).setTrain(c.mode === 'train');
    const y = layer.apply(x) as tf.Tensor;
    const [mean, variance] = layer.getWeights().slice(2).map(w => Array.from(w.dataSync()));
    notes.push(`moving_mean after the step      ${fmt(mean)}`);
    notes.push(`moving_variance after the step  ${fmt(variance)}`);
    return y;
  },
};

function fmt(v: number[]): string {
  return '[' + v.map(n => Number(n.toPrecision(8))).join(', ') + ']';
}

async function main() {
  await tf.setBackend('cpu');
  tf.env().set('IS_TEST', true);  // silences tfjs's "install tfjs-node" banner
  let failures = 0;
  let skipped = 0;
  for (const c of SEED_CASES) {
    const runner = runners[c.op];
    const contrast = c.op.startsWith('Torch') ? '  [PyTorch contrast op]' : '';
    console.log(`\n== ${c.id}  (${c.op})${contrast}`);
    console.log(`   ${c.source}`);
    if (runner == null) {
      console.log('   no runner for this op yet');
      skipped++;
      continue;
    }
    const input = seedValues(c, 'input');
    const expected = seedValues(c, 'expected');
    const ours = tf.tidy(() => {
      const x = tf.tensor(input, c.shape ?? [input.length]);
      return Array.from(runner(c, x).dataSync());
    });
    // The seed's own tolerance per element: atol + rtol * |expected| (1e-5 abs if it gives none).
    const atol = c.atol ?? (c.rtol == null ? 1e-5 : 0);
    const rtol = c.rtol ?? 0;
    const diff = Math.max(...ours.map((v, i) => Math.abs(v - expected[i])));
    const ok = ours.every((v, i) => Math.abs(v - expected[i]) <= atol + rtol * Math.abs(expected[i]));
    const tol = rtol ? `atol ${atol} + rtol ${rtol}` : `${atol}`;
    failures += ok ? 0 : 1;
    console.log(`   args      ${JSON.stringify(c.args)}${c.mode ? `  mode ${c.mode}` : ''}`);
    console.log(`   input     ${fmt(input)}  shape [${c.shape ?? [input.length]}]`);
    console.log(`   expected  ${fmt(expected)}`);
    console.log(`   ours      ${fmt(ours)}`);
    console.log(`   max |diff| ${diff.toExponential(3)}  (tol ${tol})  ${ok ? 'OK' : 'MISMATCH'}`);
    notes.splice(0).forEach(line => console.log(`   ${line}`));
  }
  const run = SEED_CASES.length - skipped;
  console.log(`\n${run - failures} of ${run} seed examples reproduced` +
              `${skipped ? `; ${skipped} contrast cases not run` : ''}.`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main();
