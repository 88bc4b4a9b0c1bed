// SPDX-License-Identifier: Apache-2.0
/**
 * When a value counts as different from MindSpore's: beyond float32 noise
 * (GPU backends round differently from the CPU), relative to the value and
 * to the column's scale, so 1e-8 vs 3e-8 differs but 1e-9 of noise around
 * zero does not.
 */
export function differs(value: number, reference: number, scale: number): boolean {
  return Math.abs(value - reference) > 1e-4 * Math.abs(reference) + 1e-6 * scale;
}

export interface ColumnDiff {
  count: number;
  maxAbs: number;
  flags: boolean[];
}

export function compareColumn(values: number[], reference: number[]): ColumnDiff {
  const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const flags = values.map((v, i) => differs(v, reference[i], scale));
  return {
    count: flags.filter(f => f).length,
    maxAbs: values.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i])), 0),
    flags,
  };
}
