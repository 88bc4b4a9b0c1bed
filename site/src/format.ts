// SPDX-License-Identifier: Apache-2.0
/**
 * How numbers are shown: 6 significant digits, exponent notation for very
 * small or large magnitudes (the interesting cases here are 1e-8 vs 0.27).
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '∞' : '−∞';
  }
  if (v === 0) {
    return '0';
  }
  const a = Math.abs(v);
  const s = a < 1e-3 || a >= 1e6 ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  return s.replace('-', '−');
}
