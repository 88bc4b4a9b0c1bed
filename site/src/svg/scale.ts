// SPDX-License-Identifier: Apache-2.0
/** Axis scales and tick positions for the line plots (linear or log10). */
export interface Scale {
  (v: number): number;
  ticks: number[];
  log: boolean;
}

export function makeScale(domain: [number, number], range: [number, number], log: boolean): Scale {
  const f = log ? Math.log10 : (v: number) => v;
  const [d0, d1] = [f(domain[0]), f(domain[1])];
  const scale = ((v: number) => range[0] + (f(v) - d0) / (d1 - d0) * (range[1] - range[0])) as Scale;
  scale.ticks = log ? logTicks(domain) : linearTicks(domain);
  scale.log = log;
  return scale;
}

/** Powers of ten, every second or fourth decade when there are many. */
function logTicks([lo, hi]: [number, number]): number[] {
  const a = Math.ceil(Math.log10(lo));
  const b = Math.floor(Math.log10(hi));
  const step = b - a > 16 ? 4 : b - a > 8 ? 2 : 1;
  const ticks: number[] = [];
  for (let e = b; e >= a; e -= step) {
    ticks.unshift(Math.pow(10, e));
  }
  return ticks;
}

/** About six round numbers (1, 2 or 5 times a power of ten apart). */
function linearTicks([lo, hi]: [number, number]): number[] {
  const raw = (hi - lo) / 6;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

export function tickLabel(v: number, log: boolean): string {
  if (log) {
    const e = Math.round(Math.log10(v));
    return e === 0 ? '1' : e === 1 ? '10' : `1e${e}`;
  }
  return String(Number(v.toPrecision(6)));
}
