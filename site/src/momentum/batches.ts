// SPDX-License-Identifier: Apache-2.0
/**
 * The training batches every convention sees: one channel, values drawn from
 * N(3, 2^2), so the moving statistics travel from their start (mean 0,
 * variance 1) towards mean 3, variance 4 at each convention's speed.
 */
import {normal, seededRandom} from '../random';

export const STEPS = 40;
export const BATCH_SIZE = 8;

/** STEPS batches of BATCH_SIZE values (shape [BATCH_SIZE, 1] each). */
export function trainingBatches(): number[][] {
  const draw = normal(seededRandom(7));
  return Array.from({length: STEPS}, () =>
      Array.from({length: BATCH_SIZE}, () => Number((3 + 2 * draw()).toFixed(3))));
}
