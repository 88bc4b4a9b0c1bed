// SPDX-License-Identifier: Apache-2.0
/**
 * Sums over a window of channels, [c - r, c + r] ∩ [0, C), for the LRN
 * kernels on an [N, C, P] view (P = H * W). Two schemes:
 * - direct: each output adds its 2r + 1 channels;
 * - blocks: a first pass sums blocks of B consecutive channels, and each
 *   output adds the whole blocks inside its window plus the channels at its
 *   two ragged ends (under 2B terms), about 2B + (2r + 1) / B reads instead
 *   of 2r + 1. All terms are non-negative or summed in the same order as the
 *   direct scheme, so no cancellation occurs (unlike prefix-sum differences).
 */
import {env} from '@tensorflow/tfjs-core';

import {LRN_BLOCK_MIN_WINDOW} from './webgl_flags';

export interface ChannelWindow {
  channels: number;
  /** depthRadius capped at C - 1 (a wider window sees the same channels). */
  radius: number;
  /** Channels per block; 0 for the direct scheme. */
  blockSize: number;
}

export function channelWindow(channels: number, depthRadius: number): ChannelWindow {
  const radius = Math.min(depthRadius, Math.max(channels - 1, 0));
  const span = Math.min(2 * radius + 1, channels);
  if (span < env().getNumber(LRN_BLOCK_MIN_WINDOW) || span < 4) {
    return {channels, radius, blockSize: 0};
  }
  // 2B + span / B is smallest at B = sqrt(span / 2).
  return {channels, radius, blockSize: Math.max(2, Math.round(Math.sqrt(span / 2)))};
}

/** GLSL helper for the LRN window term x[n, c, p]^2 (one texture read). */
export const SQUARE_X = `
  float squareX(int n, int c, int p) {
    float v = getX(n, c, p);
    return v * v;
  }
`;

/** Number of blocks of the block-sum pass. */
export function numBlocks(w: ChannelWindow): number {
  return Math.ceil(w.channels / w.blockSize);
}

/**
 * GLSL declaring `float <out>` = sum of term(cc) over the window of channel
 * `c` (ints n, c, p in scope). The block scheme reads block sums with
 * `<blocks>(n, k, p)`.
 */
export function windowSum(
    w: ChannelWindow, out: string, term: (cc: string) => string, blocks: string): string {
  const {channels, radius, blockSize: b} = w;
  if (b === 0) {
    return `
      float ${out} = 0.0;
      for (int j = 0; j < ${2 * radius + 1}; j++) {
        int cc = c - ${radius} + j;
        if (cc >= 0 && cc < ${channels}) {
          ${out} += ${term('cc')};
        }
      }`;
  }
  const span = Math.min(2 * radius + 1, channels);
  return `
      float ${out} = 0.0;
      {
        int lo = max(c - ${radius}, 0);
        int hi = min(c + ${radius}, ${channels - 1});
        int kLo = (lo + ${b - 1}) / ${b};
        int kHi = (hi + 1) / ${b};
        if (kLo < kHi) {
          for (int j = 0; j < ${b - 1}; j++) {
            int cc = lo + j;
            if (cc >= kLo * ${b}) { break; }
            ${out} += ${term('cc')};
          }
          for (int j = 0; j < ${Math.floor(span / b)}; j++) {
            int k = kLo + j;
            if (k >= kHi) { break; }
            ${out} += ${blocks}(n, k, p);
          }
          for (int j = 0; j < ${b - 1}; j++) {
            int cc = kHi * ${b} + j;
            if (cc > hi) { break; }
            ${out} += ${term('cc')};
          }
        } else {
          for (int j = 0; j < ${2 * b - 2}; j++) {
            int cc = lo + j;
            if (cc > hi) { break; }
            ${out} += ${term('cc')};
          }
        }
      }`;
}

/**
 * GLSL for s^-beta with the common exponents spelled out (exact and cheaper
 * than pow); `beta` is the program's uniform for the general case.
 */
export function powNegBeta(s: string, beta: number): string {
  if (beta === 0.5) {
    return `inversesqrt(${s})`;
  }
  if (beta === 0.75) {
    return `(inversesqrt(${s}) * sqrt(inversesqrt(${s})))`;
  }
  if (beta === 1) {
    return `(1.0 / ${s})`;
  }
  if (beta === 0) {
    return '1.0';
  }
  return `pow(${s}, -beta)`;
}
