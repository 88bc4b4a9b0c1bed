// SPDX-License-Identifier: Apache-2.0
import {util} from '@tensorflow/tfjs-core';
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {components, coordsType, floatUniforms, FloatUniforms, stridesOf} from './glsl_util';

/** What a {@link SliceSumProgram} sums; see there. */
export interface SliceSumSpec {
  /** Inputs, each sampled with the logical shape `shape` unless the code says otherwise. */
  variableNames: string[];
  /** The logical shape walked (rank <= 6); the kernels pass free views of their inputs. */
  shape: number[];
  /** Sorted axes of `shape` that are summed over; the others are kept. */
  axes: number[];
  /**
   * GLSL float expressions, one per output row. Element coordinates are the
   * ints i0..i{rank-1}; values declared in the preludes may be used.
   */
  terms: string[];
  /** Float uniforms the snippets read (e.g. epsilon), with their values. */
  uniforms?: Record<string, number>;
  /** GLSL functions the other snippets call, declared before main(). */
  helpers?: string;
  /** GLSL run once per output value, before the loop; may use the kept i<k> only. */
  slicePrelude?: string;
  /** GLSL run per element before the terms (e.g. `float x = getX(i0, i1);`). */
  elementPrelude?: string;
}

/**
 * Partial sums of one or more element-wise terms over the `axes` of `shape`.
 * Output [terms, ...keptShape, windows]: value (t, k..., w) is the sum of
 * terms[t] over the w-th run of `windowSize` consecutive reduced elements
 * (row-major over the reduced axes) of slice k. The reduced coordinates
 * advance like an odometer, so the loop needs no division per element.
 */
export class SliceSumProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms: FloatUniforms;

  constructor(spec: SliceSumSpec, windowSize: number) {
    const {shape, axes, terms} = spec;
    this.variableNames = spec.variableNames;
    this.customUniforms = floatUniforms(...Object.keys(spec.uniforms ?? {}));
    const kept = shape.map((_, i) => i).filter(i => !axes.includes(i));
    const reducedShape = axes.map(a => shape[a]);
    const reduceSize = util.sizeFromShape(reducedShape);
    const windows = Math.max(1, Math.ceil(reduceSize / windowSize));
    this.outputShape = [terms.length, ...kept.map(k => shape[k]), windows];

    const out = components('oc', this.outputShape.length);
    const keptDecl = kept.map((k, j) => `int i${k} = ${out[j + 1]};`).join('\n');
    const reducedStrides = stridesOf(reducedShape);
    const startDecl = axes.map((a, j) => `int i${a} = rest / ${reducedStrides[j]};
        rest -= i${a} * ${reducedStrides[j]};`).join('\n');
    const guard = reduceSize % windowSize === 0 && reduceSize > 0 ?
        '' :
        `if (start + j >= ${reduceSize}) { break; }`;
    const accumulate = terms.length === 1 ?
        `sum += ${terms[0]};` :
        terms.map((t, i) => `if (term == ${i}) { sum += ${t}; }`).join(' else ');

    this.userCode = `
      ${spec.helpers ?? ''}

      void main() {
        ${coordsType(this.outputShape.length)} oc = getOutputCoords();
        int term = ${out[0]};
        ${keptDecl}
        ${spec.slicePrelude ?? ''}
        int start = ${out[out.length - 1]} * ${windowSize};
        int rest = start;
        ${startDecl}
        float sum = 0.0;
        for (int j = 0; j < ${windowSize}; j++) {
          ${guard}
          ${spec.elementPrelude ?? ''}
          ${accumulate}
          ${odometer(axes, reducedShape)}
        }
        setOutput(sum);
      }
    `;
  }
}

/** Advances the reduced coordinates i<axes...> by one element, row-major. */
function odometer(axes: number[], sizes: number[]): string {
  let code = '';
  for (let j = axes.length - 1; j >= 0; j--) {
    const i = `i${axes[j]}`;
    code = j === axes.length - 1 ? `${i}++;` : `${code} if (i${axes[j + 1]} == ${sizes[j + 1]}) {
      i${axes[j + 1]} = 0; ${i}++;`;
  }
  return code + '}'.repeat(Math.max(0, axes.length - 1));
}
