// SPDX-License-Identifier: Apache-2.0
/**
 * PyTorch's F.group_norm(x, groups, eps=1e-5) without weight and bias, written
 * out in float64 for the page: tfjs has no GroupNorm, and this package's
 * contrast ops cover only the ops whose formulas differ from MindSpore's.
 * Per sample and group: (x - mean) / sqrt(biased var + eps).
 */
export function torchGroupNormReference(
    values: number[], shape: number[], groups: number, eps = 1e-5): number[] {
  const [n, c] = shape;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const block = (c / groups) * inner;
  const out = new Array<number>(values.length);
  for (let start = 0; start < n * c * inner; start += block) {
    const slice = values.slice(start, start + block);
    const mean = slice.reduce((a, b) => a + b, 0) / block;
    const variance = slice.reduce((a, b) => a + (b - mean) ** 2, 0) / block;
    slice.forEach((v, i) => out[start + i] = (v - mean) / Math.sqrt(variance + eps));
  }
  return out;
}
