// SPDX-License-Identifier: Apache-2.0
/**
 * Small GLSL-generation helpers shared by the WebGL programs. tfjs's shader
 * compiler returns output coordinates as int (rank 1), ivec2..ivec4, or its
 * own ivec5/ivec6 structs; all of them name their components x, y, z, w, u, v.
 */
const COMPONENTS = ['x', 'y', 'z', 'w', 'u', 'v'];

/** The GLSL type `getOutputCoords()` returns for an output of this rank. */
export function coordsType(rank: number): string {
  if (rank <= 1) {
    return 'int';
  }
  if (rank > COMPONENTS.length) {
    throw new Error(`WebGL programs support rank <= ${COMPONENTS.length}, got ${rank}`);
  }
  return `ivec${rank}`;
}

/** GLSL expressions for each component of a coordinates variable of this rank. */
export function components(name: string, rank: number): string[] {
  if (rank <= 1) {
    return [name];
  }
  return COMPONENTS.slice(0, rank).map(c => `${name}.${c}`);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) {
    strides[i] = strides[i + 1] * shape[i + 1];
  }
  return strides;
}

/** A program's float uniforms, in the order runWebGLProgram gets their values. */
export type FloatUniforms = Array<{name: string, type: 'float'}>;

/** The customUniforms of a program whose uniforms are the floats `names`. */
export function floatUniforms(...names: string[]): FloatUniforms {
  return names.map(name => ({name, type: 'float'}));
}
