import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {sliceSum} from './slice_sum';

/** Sums that give the mean and BIASED variance of each slice: sum / count, sqDev / count. */
export interface Moments {
  /** sum(x) per slice, shape keptShape. */
  sum: TensorInfo;
  /** sum((x - mean)^2) per slice, shape keptShape. */
  sqDev: TensorInfo;
  /** Values per slice. */
  count: number;
}

/**
 * Two-pass (stable) statistics over `axes` of x viewed as `shape`: the sum
 * first, then the squared deviations from the mean (never E[x^2] - mean^2).
 * Passes: 2, plus window stages for long slices (slice_sum.ts).
 */
export function moments(
    backend: MathBackendWebGL, x: TensorInfo, shape: number[], axes: number[]): Moments {
  const coords = shape.map((_, i) => `i${i}`);
  const kept = coords.filter((_, i) => !axes.includes(i));
  const slot = kept.length > 0 ? kept.join(', ') : '0';
  const count = util.sizeFromShape(axes.map(a => shape[a]));
  const sum = sliceSum(
      backend, [x], {variableNames: ['x'], shape, axes, terms: [`getX(${coords.join(', ')})`]});
  const sqDev = sliceSum(backend, [x, sum], {
    variableNames: ['x', 'xSum'],
    shape,
    axes,
    slicePrelude: `float mean = getXSum(${slot}) / float(${count});`,
    elementPrelude: `float d = getX(${coords.join(', ')}) - mean;`,
    terms: ['d * d'],
  });
  return {sum, sqDev, count};
}

/**
 * GLSL `float meanOf(...)` and `float invStdOf(...)` for slot coordinates of
 * the Moments tensors (read as `xSum` and `sqDev`; `epsilon` a uniform).
 */
export function momentHelpers(slotRank: number, count: number): string {
  const params = Array.from({length: slotRank}, (_, i) => `int s${i}`).join(', ');
  const args = Array.from({length: slotRank}, (_, i) => `s${i}`).join(', ');
  return `
    float meanOf(${params}) {
      return getXSum(${args}) / float(${count});
    }
    float invStdOf(${params}) {
      return inversesqrt(getSqDev(${args}) / float(${count}) + epsilon);
    }
  `;
}
