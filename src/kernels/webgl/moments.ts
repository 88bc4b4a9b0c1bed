// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {SliceFirstProgram} from './slice_first_gpu';
import {sliceSum} from './slice_sum';

/**
 * Sums that give the mean and BIASED variance of each slice, taken around a
 * shift (the slice's first element): mean = shift + sum / count, var = sqDev / count.
 * In float32 a plain sum of values near 1e4 puts the mean off by ~1e-3 of a
 * unit deviation, and a mean stored as one float32 near 1e4 is off by up to
 * 5e-4; x - shift is exact there, so the centred value of an element,
 * (x - shift) - sum / count, is exact to float32 rounding of unit-scale values.
 */
export interface Moments {
  /** The first element of each slice, shape keptShape. */
  shift: TensorInfo;
  /** sum(x - shift) per slice, shape keptShape. */
  sum: TensorInfo;
  /** sum((x - mean)^2) per slice, shape keptShape. */
  sqDev: TensorInfo;
  /** Values per slice. */
  count: number;
}

/**
 * Two-pass (stable) statistics over `axes` of x viewed as `shape`, around
 * each slice's first element: the shifted sum first, then the squared
 * deviations from the mean (never E[x^2] - mean^2). Passes: 3 (the shift,
 * a small one), plus window stages for long slices (slice_sum.ts).
 */
export function moments(
    backend: MathBackendWebGL, x: TensorInfo, shape: number[], axes: number[]): Moments {
  const coords = shape.map((_, i) => `i${i}`);
  const kept = coords.filter((_, i) => !axes.includes(i));
  const slot = kept.length > 0 ? kept.join(', ') : '0';
  const count = util.sizeFromShape(axes.map(a => shape[a]));
  const shift = backend.runWebGLProgram(new SliceFirstProgram(shape, axes), [x], 'float32');
  const sum = sliceSum(backend, [x, shift], {
    variableNames: ['x', 'xShift'],
    shape,
    axes,
    slicePrelude: `float shift = getXShift(${slot});`,
    terms: [`getX(${coords.join(', ')}) - shift`],
  });
  const sqDev = sliceSum(backend, [x, shift, sum], {
    variableNames: ['x', 'xShift', 'xSum'],
    shape,
    axes,
    slicePrelude: `float shift = getXShift(${slot});
        float mean = getXSum(${slot}) / float(${count});`,
    elementPrelude: `float d = (getX(${coords.join(', ')}) - shift) - mean;`,
    terms: ['d * d'],
  });
  return {shift, sum, sqDev, count};
}

/** The Moments tensors in the order of MOMENT_NAMES, as program inputs. */
export function momentInputs(m: Moments): TensorInfo[] {
  return [m.shift, m.sum, m.sqDev];
}

/** Variable names of momentInputs() for the programs that read them through momentHelpers. */
export const MOMENT_NAMES = ['xShift', 'xSum', 'sqDev'];

/**
 * GLSL helpers for slot coordinates of the Moments tensors (read as
 * `xShift`, `xSum` and `sqDev`; `epsilon` a uniform): `centredOf(x, ...)`
 * = x - mean computed around the shift, `meanOf(...)` the mean itself (only
 * for outputs: never subtract it from x), and `invStdOf(...)`.
 */
export function momentHelpers(slotRank: number, count: number): string {
  const params = Array.from({length: slotRank}, (_, i) => `int s${i}`).join(', ');
  const args = Array.from({length: slotRank}, (_, i) => `s${i}`).join(', ');
  return `
    float shiftedMeanOf(${params}) {
      return getXSum(${args}) / float(${count});
    }
    float centredOf(float xv, ${params}) {
      return (xv - getXShift(${args})) - shiftedMeanOf(${args});
    }
    float meanOf(${params}) {
      return getXShift(${args}) + getXSum(${args}) / float(${count});
    }
    float invStdOf(${params}) {
      return inversesqrt(getSqDev(${args}) / float(${count}) + epsilon);
    }
  `;
}
