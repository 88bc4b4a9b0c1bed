// SPDX-License-Identifier: Apache-2.0
/**
 * L2Normalize's output norm against the input's norm, along one direction
 * ([1, 2, 3] scaled), for MindSpore (epsilon 1e-4 on the sum of squares),
 * PyTorch (1e-12 on the norm) and TensorFlow (1e-12 on the sum of squares).
 * The ops run on the active backend; the norms of their outputs are taken in
 * float64.
 */
import * as tf from '@tensorflow/tfjs-core';

import {l2Normalize, torchNormalize} from '../../../src';

export const DIRECTION = [1, 2, 3];
/** Input norms 1e-14 ... 1e2, four per decade. */
export const MAGNITUDES = Array.from({length: 65}, (_, i) => Math.pow(10, -14 + i / 4));
export const SEED_INPUT = [1e-10, 2e-10, 3e-10];

export type L2Id = 'ms'|'torch'|'tf';

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i] * v[i];
  }
  return Math.sqrt(s);
}

function run(id: L2Id, x: tf.Tensor): tf.Tensor {
  switch (id) {
    case 'ms':
      return l2Normalize(x, -1);
    case 'torch':
      return torchNormalize(x, 2, -1);
    case 'tf':
      // TensorFlow's l2_normalize, composed (tfjs has none).
      return tf.tidy(() =>
          tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), -1, true), tf.scalar(1e-12)))));
  }
}

/** Each row's output, flat. */
async function outputs(id: L2Id, rows: number[][]): Promise<Float32Array> {
  const x = tf.tensor2d(rows);
  const y = run(id, x);
  try {
    return await y.data() as Float32Array;
  } finally {
    tf.dispose([x, y]);
  }
}

export async function normCurve(id: L2Id): Promise<Array<[number, number]>> {
  const unit = DIRECTION.map(v => v / norm(DIRECTION));
  const rows = MAGNITUDES.map(r => unit.map(u => r * u));
  const y = await outputs(id, rows);
  const d = DIRECTION.length;
  // The input's norm in float64 from the float32 values the op received.
  return rows.map((row, i) => [norm(Float32Array.from(row)), norm(y.subarray(i * d, (i + 1) * d))]);
}

/** The seed's tiny input through one convention: its output values. */
export async function seedOutput(id: L2Id): Promise<number[]> {
  return Array.from(await outputs(id, [SEED_INPUT]));
}
