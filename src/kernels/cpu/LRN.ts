// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNInputs} from '../../kernel_names';
import {sizeOfDims} from '../../util/shape';
import {CpuKernelArgs, cpuKernelConfig, valuesOf} from './cpu_util';
import {initSquareWindow, newSlide, setSlide, Slide, slideSquares, windowTile} from './window_sum';

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
  const slide = newSlide();
  for (let n = 0; n < batch; n++) {
    for (let p0 = 0; p0 < plane; p0 += tile) {
      const width = Math.min(tile, plane - p0);
      const base = n * channels * plane + p0;
      initSquareWindow(xVals, base, plane, channels, width, depthRadius, acc);
      for (let c = 0; c < channels; c++) {
        setSlide(slide, base, plane, channels, depthRadius, c);
        lrnRow(xVals, out, base + c * plane, width, slide, acc, bias, alpha, beta, power);
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
 * Channel c of a block (its row at o): out = x * (bias + alpha * acc)^-beta,
 * then slides acc from channel c's window to channel c + 1's. One loop, so the
 * sliding arithmetic runs alongside the division and square roots (LRNGrad's
 * powersRow slides in its loop for the same reason).
 */
function lrnRow(
    x: TypedArray, out: Float32Array, o: number, width: number, slide: Slide, acc: Float64Array,
    bias: number, alpha: number, beta: number, power: Power): void {
  const {entering, leaving, enterOff, leaveOff} = slide;
  for (let p = 0; p < width; p++) {
    const sum = acc[p];
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
    acc[p] = slideSquares(x, sum, p, entering, leaving, enterOff, leaveOff, slide);
  }
}

export const MsLRNConfig = cpuKernelConfig(MsLRN, msLRN);
