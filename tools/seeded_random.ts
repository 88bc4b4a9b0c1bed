// SPDX-License-Identifier: Apache-2.0
/**
 * A small seeded generator (mulberry32) of uniform values in [0, 1): the
 * tests' random data and the site's "random" tensors, which its test
 * recomputes. Not part of the package.
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
