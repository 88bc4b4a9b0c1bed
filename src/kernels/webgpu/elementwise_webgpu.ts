// SPDX-License-Identifier: Apache-2.0
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import {ELEMENTWISE_WORKGROUP_SIZE, sizeOf} from './webgpu_util';

/**
 * Base of the element-wise programs: a subclass supplies WGSL for
 * `fn value(i: i32) -> f32`, output element i from f32 inputs read by flat
 * index. When the size is a multiple of 4, each thread writes a vec4 of
 * four consecutive outputs (a quarter of the invocations and index math).
 * The output is flat (tfjs's shaders handle rank <= 6); run() returns it
 * viewed as `logicalShape`.
 */
export abstract class ElementwiseProgram implements WebGPUProgram {
  variableNames: string[];
  variableComponents: number[];
  outputShape: number[];
  outputComponent: number;
  shaderKey: string;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [ELEMENTWISE_WORKGROUP_SIZE, 1, 1];
  uniforms?: string;
  /** Declares uniforms.size (outputs / outputComponent), the bound every thread checks. */
  size = true;
  protected readonly elementCount: number;

  readonly logicalShape: number[];

  constructor(name: string, outputShape: number[], variableNames: string[], uniforms?: string) {
    this.logicalShape = outputShape;
    this.outputShape = [sizeOf(outputShape)];
    this.variableNames = variableNames;
    this.variableComponents = variableNames.map(() => 1);
    this.elementCount = sizeOf(outputShape);
    this.outputComponent = this.elementCount % 4 === 0 ? 4 : 1;
    this.dispatchLayout = {x: [0]};
    this.dispatch = [
      Math.ceil(this.elementCount / this.outputComponent / ELEMENTWISE_WORKGROUP_SIZE), 1, 1,
    ];
    this.uniforms = uniforms;
    this.shaderKey = `${name}_${this.outputComponent}`;
  }

  /** WGSL declaring `fn value(i : i32) -> f32` (and any helpers it calls). */
  protected abstract valueCode(): string;

  getUserCode(): string {
    const store = this.outputComponent === 4 ?
        `if (index < uniforms.size) {
          let i = index * 4;
          result[index] = vec4<f32>(value(i), value(i + 1), value(i + 2), value(i + 3));
        }` :
        `if (index < uniforms.size) {
          result[index] = value(index);
        }`;
    return `
      ${this.valueCode()}

      fn main(index : i32) {
        ${store}
      }
    `;
  }
}
