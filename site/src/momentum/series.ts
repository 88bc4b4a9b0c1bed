// SPDX-License-Identifier: Apache-2.0
/** Runs every convention on the same batches and records its moving statistics after each step. */
import * as tf from '@tensorflow/tfjs-core';

import {trainingBatches} from './batches';
import {Convention} from './conventions';

export interface MomentumSeries {
  id: string;
  /** [step, value] from step 0 (the initial statistics) to the last step. */
  mean: Array<[number, number]>;
  variance: Array<[number, number]>;
}

async function scalarOf(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

export async function momentumSeries(conventions: Convention[]): Promise<MomentumSeries[]> {
  const batches = trainingBatches();
  const out: MomentumSeries[] = [];
  for (const c of conventions) {
    const stepper = c.make();
    const series: MomentumSeries = {id: c.id, mean: [], variance: []};
    try {
      for (let step = 0; step <= batches.length; step++) {
        if (step > 0) {
          const x = tf.tensor2d(batches[step - 1], [batches[step - 1].length, 1]);
          stepper.step(x);
          x.dispose();
        }
        const [m, v] = stepper.stats();
        series.mean.push([step, await scalarOf(m)]);
        series.variance.push([step, await scalarOf(v)]);
      }
    } finally {
      stepper.dispose();
    }
    out.push(series);
  }
  return out;
}
