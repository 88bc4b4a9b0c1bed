// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsLRNGrad, MsLRNGradAttrs, MsLRNGradInputs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {Power, powerKind} from './LRN';
import {CANCELLATION_RATIO, initSquareWindow, newSlide, setSlide, Slide, slideSquares, windowTile} from './window_sum';

// MindSpore LRNGrad, s = bias + alpha * sqr_sum:
//   dx[c] = dy[c] * s[c]^-beta
//           - 2 * alpha * beta * x[c] * sum_{|c'-c|<=r} dy[c'] * x[c'] * s[c']^(-beta-1)
// The window is symmetric, so the inner sum is the same sliding window as the forward pass.
//
// One sweep over the channels of each [C, tile] block of positions: row j
// gets s^-beta and w = dy * x * s^(-beta-1) (sliding over x^2), and dx for
// channel j - r follows at once, its window of w being complete. Rows of s^-beta
// and w live in a ring of 2r + 2 rows, so everything stays in cache.
export function msLRNGrad(args: CpuKernelArgs<MsLRNGradInputs, MsLRNGradAttrs>): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  const xVals = valuesOf(backend, x!);
  const dyVals = valuesOf(backend, dy!);
  const [batch, channels] = x!.shape;
  // A radius beyond C - 1 gives the same windows (all channels); the sweep runs C + r steps.
  const r = Math.max(0, Math.min(depthRadius, channels - 1));
  const plane = sizeOfDims(x!.shape, 2);
  const dx = new Float32Array(xVals.length);
  const tile = windowTile(channels, plane);
  const ringRows = Math.min(2 * r + 2, channels);
  const sqAcc = new Float64Array(tile);
  const wAcc = new Float64Array(tile);
  const sPowBeta = new Float64Array(ringRows * tile);
  const w = new Float64Array(ringRows * tile);
  const block: Block = {
    x: xVals, dy: dyVals, dx, base: 0, plane, channels, width: 0, radius: r, ringRows,
    sqAcc, wAcc, sPowBeta, w, bias, alpha, beta, power: powerKind(beta), slide: newSlide(),
  };
  for (let n = 0; n < batch; n++) {
    for (let p0 = 0; p0 < plane; p0 += tile) {
      block.width = Math.min(tile, plane - p0);
      block.base = n * channels * plane + p0;
      initSquareWindow(xVals, block.base, plane, channels, block.width, r, sqAcc);
      wAcc.fill(0, 0, block.width);
      for (let j = 0; j < channels + r; j++) {
        if (j < channels) {
          powersRow(block, j);
        }
        if (j >= r) {
          dxRow(block, j - r);
        }
      }
    }
  }
  return backend.makeTensorInfo(x!.shape, 'float32', dx);
}

interface Block {
  x: TypedArray;
  dy: TypedArray;
  dx: Float32Array;
  /** Offset of the block's first element (channel 0) and its channel stride. */
  base: number;
  plane: number;
  channels: number;
  width: number;
  radius: number;
  ringRows: number;
  /** Window sums of x^2 for the next row to power. */
  sqAcc: Float64Array;
  /** Window sums of w for the next row to differentiate. */
  wAcc: Float64Array;
  sPowBeta: Float64Array;
  w: Float64Array;
  bias: number;
  alpha: number;
  beta: number;
  power: Power;
  /** sqAcc's slide for the row being powered. */
  slide: Slide;
}

/**
 * Row j: s^-beta and w = dy * x * s^(-beta-1) into the ring, w added to wAcc
 * (row j enters the window), and sqAcc slid from row j's window to j + 1's.
 */
function powersRow(b: Block, j: number): void {
  const {x, dy, base, plane, width, sqAcc, wAcc, sPowBeta, w, power, slide} = b;
  const o = base + j * plane;
  const t = (j % b.ringRows) * width;
  setSlide(slide, base, plane, b.channels, b.radius, j);
  const {entering, leaving, enterOff, leaveOff} = slide;
  for (let p = 0; p < width; p++) {
    const sum = sqAcc[p];
    const s = b.bias + b.alpha * sum;
    // sb = s^-beta and sb1 = s^(-beta-1), with one division or square root each at most.
    let sb: number;
    let sb1: number;
    if (power === Power.RSQRT) {
      sb = 1 / Math.sqrt(s);
      sb1 = sb * sb * sb;
    } else if (power === Power.RSQRT_3_4) {
      const q = 1 / Math.sqrt(s);
      sb = q * Math.sqrt(q);
      sb1 = sb * q * q;
    } else if (power === Power.RECIPROCAL) {
      sb = 1 / s;
      sb1 = sb * sb;
    } else {
      sb = Math.pow(s, -b.beta);
      sb1 = sb / s;
    }
    sPowBeta[t + p] = sb;
    const wp = dy[o + p] * x[o + p] * sb1;
    w[t + p] = wp;
    wAcc[p] += wp;
    sqAcc[p] = slideSquares(x, sum, p, entering, leaving, enterOff, leaveOff, slide);
  }
}

/**
 * Row c: drops row c - r - 1 from wAcc, leaving the window [c - r, c + r],
 * then dx = dy * s^-beta - 2 alpha beta * x * wAcc.
 */
function dxRow(b: Block, c: number): void {
  const {x, dy, dx, base, plane, channels, width, radius, ringRows, wAcc, sPowBeta, w} = b;
  const o = base + c * plane;
  const t = (c % ringRows) * width;
  const k = 2 * b.alpha * b.beta;
  const leave = c - radius - 1;
  const leaving = leave >= 0;
  const leaveOff = (leave % ringRows) * width;
  for (let p = 0; p < width; p++) {
    let sum = wAcc[p];
    if (leaving) {
      const gone = w[leaveOff + p];
      sum -= gone;
      if (Math.abs(sum) < CANCELLATION_RATIO * Math.abs(gone)) {
        sum = 0;
        for (let i = c - radius, hi = Math.min(c + radius, channels - 1); i <= hi; i++) {
          sum += w[(i % ringRows) * width + p];
        }
      }
      wAcc[p] = sum;
    }
    dx[o + p] = dy[o + p] * sPowBeta[t + p] - k * x[o + p] * sum;
  }
}

export const MsLRNGradConfig = cpuKernelConfig(MsLRNGrad, msLRNGrad);
