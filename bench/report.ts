// SPDX-License-Identifier: Apache-2.0
/** Result rows, the printed table, and the targets checked against the rows. */
import {Pass, SizeName} from './cases';

export interface Row {
  op: string;
  pass: Pass;
  size: SizeName;
  shape: number[];
  backend: string;
  /** Medians; null when the variant failed (see errors) or was not run. */
  oursMs: number|null;
  composedMs: number|null;
  /** The tfjs built-in compared on this row, if any. */
  builtin: string|null;
  builtinMs: number|null;
  /** How many times faster ours is than the composed ops (> 1: ours is faster). */
  composedOverOurs: number|null;
  builtinOverOurs: number|null;
  /** CPU only: one read of each input and one write pass of the same size. */
  floorMs: number|null;
  /** ours / floor. */
  xFloor: number|null;
  /** Errors of variants that could not run (e.g. no kernel for this backend). */
  errors: string[];
}

export interface FitRow {
  /** The net: kernel size, batch, input, filters. */
  net: string;
  label: string;
  backend: string;
  msPerStep: number|null;
  /** Step time relative to tfjs BatchNormalization in the same layout (< 1: faster). */
  vsTfjs: number|null;
  /** Why the step failed, if it did. */
  error: string|null;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const ms = (v: number|null) => v == null ? '-' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) :
                                                                                   v.toFixed(4);
const ratio = (v: number|null) => v == null ? '-' : `${v.toFixed(2)}x`;

/** A GitHub markdown table. */
function markdown(header: string[], body: string[][], rightAligned: boolean[]): string {
  const line = (cells: string[]) => `| ${cells.map(c => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(rightAligned.map(r => (r ? '---:' : '---'))), ...body.map(line)]
      .join('\n');
}

function table(header: string[], body: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
  const line = (cells: string[]) =>
      cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
          .join(' | ');
  return [line(header), widths.map(w => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

export function formatRows(rows: Row[], asMarkdown = false): string {
  const header = ['op', 'pass', 'size', 'backend', 'ours ms', 'composed ms', 'built-in',
                  'built-in ms', 'composed/ours', 'built-in/ours', 'x floor'];
  const body = rows.map(r => [
    r.op, r.pass, r.size, r.backend, r.oursMs == null ? 'failed' : ms(r.oursMs),
    ms(r.composedMs), r.builtin ?? '-',
    ms(r.builtinMs), ratio(r.composedOverOurs), ratio(r.builtinOverOurs),
    r.xFloor == null ? '-' : r.xFloor.toFixed(2),
  ]);
  const right = header.map((_, i) => i >= 4 && i !== 6);
  return asMarkdown ? markdown(header, body, right) : table(header, body, right);
}

export function formatFit(rows: FitRow[], asMarkdown = false): string {
  const header = ['fit() step: net', 'normalization layers', 'backend', 'ms/step', 'vs tfjs BN'];
  const body = rows.map(r => [
    r.net, r.label, r.backend, r.msPerStep == null ? 'failed' : ms(r.msPerStep),
    r.vsTfjs == null ? '-' : `${r.vsTfjs.toFixed(2)}x`,
  ]);
  const failures = rows.filter(r => r.error != null)
                       .map(r => `  ${r.label} (${r.net}) failed: ${r.error!.split('\n')[0]}`);
  const right = [false, false, false, true, true];
  return [asMarkdown ? markdown(header, body, right) : table(header, body, right),
          ...failures.map(f => (asMarkdown ? `\n${f.trim()}` : f))]
      .join('\n');
}

export function formatTargets(checks: TargetCheck[], asMarkdown = false): string {
  if (asMarkdown) {
    return markdown(['target (medians)', 'measured', 'met'],
                    checks.map(c => [c.target, c.measured, c.met ? 'yes' : '**no**']),
                    [false, false, false]);
  }
  return checks.map(c => `${c.met ? 'MET    ' : 'NOT MET'}  ${c.target}: ${c.measured}`).join('\n');
}

/** The CPU targets, on the large size. */
export function checkCpuTargets(rows: Row[], size: SizeName = 'large'): TargetCheck[] {
  const at = rows.filter(r => r.size === size && r.backend === 'cpu');
  const checks: TargetCheck[] = [];
  const seen = new Set<string>();
  for (const r of at) {
    const key = `${r.op}/${r.pass}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    if (r.pass === 'forward') {
      checks.push({
        target: `${r.op} forward >= 5x faster than composed`,
        measured: `${ratio(r.composedOverOurs)} (${ms(r.oursMs)} vs ${ms(r.composedMs)} ms)`,
        met: r.composedOverOurs != null && r.composedOverOurs >= 5,
      });
      checks.push({
        target: `${r.op} forward within 3x of the memory floor`,
        measured: `${r.xFloor?.toFixed(2)}x floor (${ms(r.oursMs)} vs ${ms(r.floorMs)} ms)`,
        met: r.xFloor != null && r.xFloor <= 3,
      });
    } else {
      checks.push({
        target: `${r.op} backward >= 3x faster than autodiff through composed`,
        measured: `${ratio(r.composedOverOurs)} (${ms(r.oursMs)} vs ${ms(r.composedMs)} ms)`,
        met: r.composedOverOurs != null && r.composedOverOurs >= 3,
      });
    }
  }
  const builtin = (op: string, pass: Pass, label: string) =>
      at.find(r => r.op === op && r.pass === pass && r.builtin === label);
  const vs = (op: string, label: string, min: number, text: string, strict = false) => {
    const r = builtin(op, 'forward', label);
    if (r != null && r.builtinOverOurs != null) {
      checks.push({
        target: `${op} forward ${text} ${label}`,
        measured: `${ratio(r.builtinOverOurs)} (${ms(r.oursMs)} vs ${ms(r.builtinMs)} ms)`,
        met: strict ? r.builtinOverOurs > min : r.builtinOverOurs >= min,
      });
    }
  };
  vs('lrn', 'tf.lrn (NHWC data)', 1, 'faster than', true);
  vs('lrn', 'tf.lrn + 2 transposes', 3, '>= 3x faster than');
  vs('batchNorm infer NCHW', 'tf.batchNorm (NHWC data)', 1, 'no slower than');
  vs('batchNorm infer NHWC', 'tf.batchNorm (NHWC data)', 1, 'no slower than');
  vs('batchNorm train NCHW', 'tf.moments + tf.batchNorm (NHWC)', 3, '>= 3x faster than');
  vs('batchNorm train NHWC', 'tf.moments + tf.batchNorm (NHWC)', 3, '>= 3x faster than');
  return checks;
}

/** WebGL target: every op at least as fast as the composed tf ops. */
/** The statistics kernels (batch norm inference has none), held to twice the composed ops' speed. */
const STATISTICS_OPS = /^(groupNorm|batchNorm train|layerNorm|instanceNorm)/;

/**
 * GPU targets (webgl, webgpu): every kernel at least as fast as the composed
 * ops, and the statistics kernels (GroupNorm, BatchNorm, LayerNorm,
 * InstanceNorm, both passes) at least twice as fast.
 */
export function checkWebglTargets(rows: Row[], size: SizeName = 'large', backend = 'webgl'):
    TargetCheck[] {
  const seen = new Set<string>();
  const checks: TargetCheck[] = [];
  for (const r of rows.filter(r => r.size === size && r.backend === backend)) {
    const key = `${r.op}/${r.pass}`;
    if (!seen.has(key)) {
      seen.add(key);
      const factor = STATISTICS_OPS.test(r.op) ? 2 : 1;
      checks.push({
        target: `${r.op} ${r.pass} ${factor === 2 ? '>= 2x' : 'at least as fast as'} composed ` +
            `(${backend}, ${size})`,
        measured: `${ratio(r.composedOverOurs)} (${ms(r.oursMs)} vs ${ms(r.composedMs)} ms)`,
        met: r.composedOverOurs != null && r.composedOverOurs >= factor,
      });
    }
  }
  return checks;
}
