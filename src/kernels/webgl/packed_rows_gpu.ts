// SPDX-License-Identifier: Apache-2.0
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

import {getterOf, HALF_OF, periodicFetch} from './packed_sum_gpu';
import {floatUniforms, FloatUniforms} from './glsl_util';

/**
 * The columns of the [size / cols, cols] view the packed programs here use:
 * the last axis of `shape` when every run in `runs` (elements that share row
 * values, e.g. a channel's positions) is a whole number of rows, else 1.
 * With cols = the last axis, a packed texture (2x2 values a texel) of the
 * view is laid out as one of `shape` whenever its second-to-last axis is
 * even, so the views cost nothing (tfjs repacks, correctly, in the other cases).
 */
export function packedCols(shape: number[], runs: number[]): number {
  const last = shape.length > 0 ? shape[shape.length - 1] : 1;
  return last > 0 && runs.every(r => r % last === 0) ? last : 1;
}

/** Values shared by the elements of a row of a {@link PackedRowsProgram}, four a texel. */
export interface RowValuesSpec {
  /** Inputs (unpacked; small, per-slice tensors and parameters). */
  variableNames: string[];
  /** How many distinct keys rows have (e.g. N * C for GroupNorm). */
  keys: number;
  /** GLSL functions the other snippets call, declared before main(). */
  helpers?: string;
  /** GLSL run once per key (`int key`), declaring what the lanes use. */
  prelude: string;
  /** GLSL float expressions, four per texel (a multiple of 4). */
  lanes: string[];
  uniforms?: string[];
}

/**
 * The row values of a PackedRowsProgram: output [2 * keys * texels, 2]
 * packed, so texel t of key k, getRowValues(2 * (k * texels + t), 0),
 * holds lanes 4t..4t+3 of k.
 */
export class RowValuesProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedOutput = true;
  customUniforms: FloatUniforms;

  constructor(spec: RowValuesSpec) {
    const texels = spec.lanes.length / 4;
    this.variableNames = spec.variableNames;
    this.outputShape = [2 * spec.keys * texels, 2];
    this.customUniforms = floatUniforms(...(spec.uniforms ?? []));
    const texel = (t: number) => `vec4(${spec.lanes.slice(4 * t, 4 * t + 4).join(', ')})`;
    const select = Array.from({length: texels}, (_, t) => `if (t == ${t}) { result = ${texel(t)}; }`);
    this.userCode = `
      ${spec.helpers ?? ''}

      void main() {
        int slot = getOutputCoords().x / 2;
        int key = slot / ${texels};
        int t = slot - key * ${texels};
        ${spec.prelude}
        vec4 result = vec4(0.0);
        ${select.join(' else ')}
        setOutput(result);
      }
    `;
  }
}

/** What a {@link PackedRowsProgram} writes; see there. */
export interface PackedRowsSpec {
  rows: number;
  cols: number;
  /** Full-size inputs, packed [rows, cols] views; in `value`, `<name>4` is the fragment's vec4 of them. */
  full: string[];
  /**
   * Inputs that repeat down the rows every `periodRows` rows (packed
   * [periodRows, cols] views, e.g. LayerNorm's gamma); also `<name>4`.
   */
  periodic?: {names: string[], periodRows: number};
  /** GLSL int expression of `row`: the key of its row values (RowValuesProgram). */
  rowKey: string;
  /** Names of the row values' lanes, four a texel; in `value` each is a vec4 (top row, bottom row). */
  rowValues: string[];
  /** GLSL vec4 expression of the fragment's four results. */
  value: string;
  uniforms?: string[];
}

/**
 * An element-wise result over a [rows, cols] view, read and written packed:
 * a fragment fetches one texel (four values) of each input, where an
 * unpacked pass samples each value with its own index arithmetic, and
 * tfjs's default packed textures are read as they are, without an unpack
 * pass. Per-row values come as texels of a RowValuesProgram output (input
 * `rowValues`). Lanes outside the view are written as 0.
 */
export class PackedRowsProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs = true;
  packedOutput = true;
  customUniforms: FloatUniforms;

  constructor(spec: PackedRowsSpec) {
    const {rows, cols, full} = spec;
    const periodic = spec.periodic?.names ?? [];
    const period = spec.periodic?.periodRows ?? 1;
    const texels = spec.rowValues.length / 4;
    this.variableNames = [...full, ...periodic, 'rowValues'];
    this.outputShape = [rows, cols];
    this.customUniforms = floatUniforms(...(spec.uniforms ?? []));
    const fullDecl = full.map(n => `vec4 ${n}4 = ${getterOf(n)}(rc.x, rc.y);`);
    const periodicDecl = periodic.map(n => periodicFetch(n, period, 'rc.x', 'rc.y'));
    const texelDecl = Array.from({length: texels}, (_, t) => `
        vec4 top${t} = getRowValues(2 * (keyTop * ${texels} + ${t}), 0);
        vec4 bottom${t} = getRowValues(2 * (keyBottom * ${texels} + ${t}), 0);`);
    const lanes = 'xyzw';
    const laneDecl = spec.rowValues.map(
        (n, i) => `vec4 ${n} = vec4(vec2(top${i >> 2}.${lanes[i & 3]}), ` +
            `vec2(bottom${i >> 2}.${lanes[i & 3]}));`);
    this.userCode = `
      ${HALF_OF}
      int rowKeyOf(int row) {
        return ${spec.rowKey};
      }

      void main() {
        ivec2 rc = getOutputCoords();
        int keyTop = rowKeyOf(rc.x);
        int keyBottom = rc.x + 1 < ${rows} ? rowKeyOf(rc.x + 1) : keyTop;
        ${fullDecl.join('\n')}
        ${periodicDecl.join('\n')}
        ${texelDecl.join('\n')}
        ${laneDecl.join('\n')}
        vec4 result = ${spec.value};
        if (rc.y + 1 >= ${cols}) {
          result.yw = vec2(0.0);
        }
        if (rc.x + 1 >= ${rows}) {
          result.zw = vec2(0.0);
        }
        setOutput(result);
      }
    `;
  }
}
