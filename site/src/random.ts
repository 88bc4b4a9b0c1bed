// SPDX-License-Identifier: Apache-2.0
// The page shows the same "random" tensors and batches on every load, and the test recomputes them.
export {seededRandom} from '../../tools/seeded_random';

/** Standard normal draws (Box-Muller) from a uniform generator. */
export function normal(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();  // in (0, 1], so log(u) is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
