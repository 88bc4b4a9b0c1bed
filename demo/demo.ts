// SPDX-License-Identifier: Apache-2.0
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
  failures += rmsNormCase() + mintVersusNnCase();
  process.exitCode = failures === 0 ? 0 : 1;
}

/** Prints expected vs ours and returns 1 on a mismatch beyond `atol`. */
function compare(label: string, expected: number[], ours: number[], atol: number): number {
  const diff = Math.max(...ours.map((v, i) => Math.abs(v - expected[i])));
  const ok = diff <= atol;
  console.log(`   ${label} expected  ${fmt(expected)}`);
  console.log(`   ${label} ours      ${fmt(ours)}`);
  console.log(`   max |diff| ${diff.toExponential(3)}  (tol ${atol})  ${ok ? 'OK' : 'MISMATCH'}`);
  return ok ? 0 : 1;
}

/** MindSpore's documented ops.rms_norm example: x = [[1, 2, 3], [1, 2, 3]], gamma = ones. */
function rmsNormCase(): number {
  console.log('\n== ops.rms_norm (MindSpore docs example)  -> ms.rmsNorm, ms.layers.rmsNorm');
  const [y, rstd] = tf.tidy(() => {
    const out = ms.rmsNorm([[1, 2, 3], [1, 2, 3]], [1, 1, 1]);
    return [Array.from(out.y.dataSync()), Array.from(out.rstd.dataSync())];
  });
  const printedY = [0.46290997, 0.92581993, 1.3887299];
  return compare('y   ', [...printedY, ...printedY], y, 1e-6) +
      compare('rstd', [0.46290997, 0.46290997], rstd, 1e-6);
}

/**
 * The same batch through mint.nn.BatchNorm2d (momentum 0.1 on the new batch
 * statistic, starts in training) and nn.BatchNorm2d (momentum 0.9 on the old
 * value, starts in inference). MindSpore's mint docs example input.
 */
function mintVersusNnCase(): number {
  console.log('\n== mint.nn.BatchNorm2d(2) vs nn.BatchNorm2d(2) on x = [0.3, 0.4, 0.5, 0.3] (2, 2, 1, 1)');
  const x = tf.tensor([0.3, 0.4, 0.5, 0.3], [2, 2, 1, 1]);
  const mintBn = ms.mint.batchNorm2d({numFeatures: 2});
  const nnBn = ms.layers.batchNorm2d({numFeatures: 2});
  const run = (layer: {apply(t: tf.Tensor): unknown}) =>
      tf.tidy(() => Array.from((layer.apply(x) as tf.Tensor).dataSync()));
  const stats = (layer: {getWeights(): tf.Tensor[]}, from: number) =>
      layer.getWeights().slice(from, from + 2).map(w => fmt(Array.from(w.dataSync())));
  // By hand: channel 0 {0.3, 0.5} mean 0.4, biased var 0.01; channel 1 {0.4, 0.3} 0.35, 0.0025.
  const a = 0.1 / Math.sqrt(0.01 + 1e-5);
  const b = 0.05 / Math.sqrt(0.0025 + 1e-5);
  let failures = 0;
  console.log('   default modes: mint trains (batch statistics), nn infers (moving statistics)');
  failures += compare('mint', [-a, b, a, -b], run(mintBn), 1e-6);
  failures += compare('nn  ', [0.3, 0.4, 0.5, 0.3].map(v => v / Math.sqrt(1 + 1e-5)), run(nnBn), 1e-6);
  const [rm, rv] = stats(mintBn, 2);
  const [mm, mv] = stats(nnBn, 2);
  console.log(`   mint running_mean ${rm}  running_var ${rv}  (0.9 * old + 0.1 * batch, unbiased var)`);
  console.log(`   nn   moving_mean  ${mm}  moving_variance ${mv}  (untouched in inference)`);
  nnBn.setTrain(true);
  console.log('   nn after setTrain(true), momentum 0.9 == mint 0.1 (convert.mint.momentumFromMint(0.1)):');
  failures += compare('nn  ', [-a, b, a, -b], run(nnBn), 1e-6);
  const [mm2, mv2] = stats(nnBn, 2);
  console.log(`   nn   moving_mean  ${mm2}  moving_variance ${mv2}  (== mint's)`);
  failures += compare('stats', [0.04, 0.035, 0.902, 0.9005],
                      nnBn.getWeights().slice(2).flatMap(w => Array.from(w.dataSync())),
                      1e-6);
  x.dispose();
  return failures;
}

main();
