// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNInputs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {CANCELLATION_RATIO, initSquareWindow, squareSum, windowTile} from './window_sum';

// MindSpore LRN on NCHW: out = x / (bias + alpha * sqr_sum)^beta, sqr_sum over
// channels [c - r, c + r]; alpha is not divided by the window size.
// Works on [C, tile] blocks of positions: the window sums of squares slide
// over the block while it is in cache, so x is read from memory once and out
// written once.
export function msLRN(args: CpuKernelArgs<MsLRNInputs, MsLRNAttrs>): TensorInfo {
  const {inputs: {x}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  const xVals = valuesOf(backend, x!);
  const [batch, channels] = x!.shape;
  const plane = sizeOfDims(x!.shape, 2);
  const out = new Float32Array(xVals.length);
  const tile = windowTile(channels, plane);
  const acc = new Float64Array(tile);
  const power = powerKind(beta);
  for (let n = 0; n < batch; n++) {
    for (let p0 = 0; p0 < plane; p0 += tile) {
      const width = Math.min(tile, plane - p0);
      const base = n * channels * plane + p0;
      initSquareWindow(xVals, base, plane, channels, width, depthRadius, acc);
      for (let c = 0; c < channels; c++) {
        lrnRow(xVals, out, base, plane, channels, width, depthRadius, c, acc, bias, alpha, beta,
               power);
      }
    }
  }
  return backend.makeTensorInfo(x!.shape, 'float32', out);
}

/** How s^-beta is computed: Math.pow is about ten times slower than sqrt. */
export const enum Power {
  RSQRT,       // beta = 0.5
  RSQRT_3_4,   // beta = 0.75
  RECIPROCAL,  // beta = 1
  POW,
}

export function powerKind(beta: number): Power {
  return beta === 0.5 ? Power.RSQRT : beta === 0.75 ? Power.RSQRT_3_4 :
                                      beta === 1 ? Power.RECIPROCAL : Power.POW;
}

/**
 * Channel c of a block: out = x * (bias + alpha * acc)^-beta, then slides acc
 * from channel c's window to channel c + 1's. One loop, so the sliding
 * arithmetic runs alongside the division and square roots (LRNGrad's
 * powersRow inlines the same slide for the same reason).
 */
function lrnRow(
    x: TypedArray, out: Float32Array, base: number, plane: number, channels: number,
    width: number, radius: number, c: number, acc: Float64Array, bias: number, alpha: number,
    beta: number, power: Power): void {
  const o = base + c * plane;
  const enter = c + radius + 1;
  const leave = c - radius;
  const entering = enter < channels;
  const leaving = leave >= 0;
  const enterOff = base + enter * plane;
  const leaveOff = base + leave * plane;
  for (let p = 0; p < width; p++) {
    let sum = acc[p];
    const s = bias + alpha * sum;
    if (power === Power.RSQRT) {
      out[o + p] = x[o + p] / Math.sqrt(s);
    } else if (power === Power.RSQRT_3_4) {
      const q = Math.sqrt(s);
      out[o + p] = x[o + p] / (q * Math.sqrt(q));
    } else if (power === Power.RECIPROCAL) {
      out[o + p] = x[o + p] / s;
    } else {
      out[o + p] = x[o + p] * Math.pow(s, -beta);
    }
    if (entering) {
      const v = x[enterOff + p];
      sum += v * v;
    }
    if (leaving) {
      const v = x[leaveOff + p];
      const gone = v * v;
      sum -= gone;
      if (Math.abs(sum) < CANCELLATION_RATIO * gone) {
        sum = squareSum(x, base, plane, p, leave + 1, Math.min(enter, channels - 1));
      }
    }
    acc[p] = sum;
  }
}

export const MsLRNConfig = cpuKernelConfig(MsLRN, msLRN);
