// SPDX-License-Identifier: Apache-2.0
/**
 * A small seeded generator (mulberry32), so the page shows the same "random"
 * tensors and batches on every load and the test can recompute them.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box-Muller) from a uniform generator. */
export function normal(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();  // in (0, 1], so log(u) is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
