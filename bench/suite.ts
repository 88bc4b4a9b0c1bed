// SPDX-License-Identifier: Apache-2.0
/**
 * The benchmark loop, backend-agnostic (no Node APIs): Node runs it on the
 * CPU backend (run.ts), the pages run it on WebGL and WebGPU (webgl_page.ts, webgpu_page.ts).
 */
import {buildCases, Pass, SizeName, SIZES} from './cases';
import {buildFitCase, FIT_CONFIGS, FIT_VARIANTS} from './fit';
import {floorPass} from './floor';
import {FitRow, Row} from './report';
import {Call, Finish, measureAll, Timing, tidyCall, TimingOptions} from './timing';

export interface SuiteOptions {
  quick: boolean;
  sizes: SizeName[];
  ops: string[]|null;
  pass: Pass|null;
  fit: boolean;
  /** False: time ours and the floor only (for kernel work; the tables then lack baselines). */
  baselines: boolean;
}

export function timingFor(size: SizeName, quick: boolean, backend = 'cpu'): TimingOptions {
  // WebGL and WebGPU here are SwiftShader (software) sharing the CPU: fewer samples.
  const webgl = backend === 'webgl' || backend === 'webgpu';
  const compileMs = webgl ? 1000 : 0;
  if (size === 'small') {
    return {warmup: quick ? 1 : 2, reps: quick ? 3 : 9, minSampleMs: quick ? 2 : 10,
            maxCallsPerSample: 1000, budgetMs: quick ? 60 : webgl ? 100 : 500, compileMs};
  }
  if (size === 'medium') {
    return {warmup: quick ? 1 : 2, reps: quick ? 3 : 7, minSampleMs: quick ? 0 : 10,
            maxCallsPerSample: 50, budgetMs: quick ? 150 : webgl ? 1500 : 3000, compileMs};
  }
  return {warmup: 1, reps: quick ? 3 : webgl ? 3 : 7, minSampleMs: 0, maxCallsPerSample: 1,
          budgetMs: quick ? 3000 : webgl ? 5000 : 10000, compileMs};
}

export function opFilter(ops: string[]|null): (op: string) => boolean {
  return op => ops == null || ops.some(o => op.toLowerCase().includes(o.toLowerCase()));
}

export function progressLine(
    op: string, pass: Pass, size: SizeName, timings: Array<Timing|null>, labels: string[]):
    string {
  const parts = timings.map((t, i) => {
    const v = t?.medianMs;
    return `${labels[i]} ${v == null ? 'failed' : v < 1 ? v.toFixed(4) : v.toFixed(2)}`;
  });
  return `  ${op} ${pass} ${size}: ${parts.join(', ')} ms`;
}

/** Every case of every size: ours, composed, built-ins (and on CPU the floor), interleaved. */
export async function runCases(
    opts: SuiteOptions, backend: string, finish: Finish, withFloor: boolean,
    log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of opts.sizes) {
    const shape = SIZES[size];
    const elements = shape.reduce((a, b) => a * b, 1);
    const set = buildCases(shape, opFilter(opts.ops));
    const floors = new Map<number, Call>();
    const floorFor = (reads: number) => {
      if (!floors.has(reads)) {
        floors.set(reads, floorPass(elements, reads));
      }
      return floors.get(reads)!;
    };
    for (const c of set.cases.filter(c => opts.pass == null || c.pass === opts.pass)) {
      const variants = opts.baselines ? [c.ours, c.composed, ...c.builtins] : [c.ours];
      const calls = variants.map(v => tidyCall(v.run, finish));
      const {timings: timed, errors} = await measureAll(
          withFloor ? [...calls, floorFor(c.floorReads)] : calls,
          timingFor(size, opts.quick, backend));
      const timings = timed.slice(0, variants.length);
      const floor = withFloor ? timed[timed.length - 1] : null;
      const ms = (i: number) => timings[i]?.medianMs ?? null;
      const errorOf = (i: number) => errors[i];
      const ours = ms(0);
      const composed = opts.baselines ? ms(1) : null;
      const builtins = !opts.baselines || c.builtins.length === 0 ?
          [null] :
          c.builtins.map((b, i) => ({label: b.label, ms: ms(2 + i), error: errorOf(2 + i)}));
      for (const b of builtins) {
        rows.push({
          op: c.op, pass: c.pass, size, shape, backend,
          oursMs: ours,
          composedMs: composed,
          builtin: b?.label ?? null,
          builtinMs: b?.ms ?? null,
          composedOverOurs: ratio(composed, ours),
          builtinOverOurs: b == null ? null : ratio(b.ms, ours),
          floorMs: floor?.medianMs ?? null,
          xFloor: ratio(ours, floor?.medianMs ?? null),
          errors: [errorOf(0), opts.baselines ? errorOf(1) : null, b?.error ?? null]
                      .filter((e): e is string => e != null),
        });
      }
      log(progressLine(c.op, c.pass, size, [...timings, ...(floor == null ? [] : [floor])],
                       [...variants.map(v => v.label), ...(floor == null ? [] : ['floor'])]));
    }
    set.dispose();
  }
  return rows;
}

function ratio(a: number|null, b: number|null): number|null {
  return a == null || b == null ? null : a / b;
}

/** fit() steps of every variant, interleaved, for each net of the run. */
export async function runFit(backend: string, quick: boolean, finish: Finish,
                             log: (line: string) => void): Promise<FitRow[]> {
  const rows: FitRow[] = [];
  for (const cfg of quick ? FIT_CONFIGS.quick : FIT_CONFIGS.full) {
    const net = `${cfg.label}, batch ${cfg.batch}, ${cfg.inChannels}x${cfg.size}x${cfg.size}, ` +
        `${cfg.filters} filters`;
    log(`  fit() ${net}`);
    const cases = FIT_VARIANTS.map(v => buildFitCase(v, cfg));
    const {timings, errors} = await measureAll(
        cases.map(c => async () => {
          await c.step();
          await finish(undefined);
        }),
        {warmup: quick ? 1 : 2, reps: quick ? 3 : 5, minSampleMs: 0, maxCallsPerSample: 1,
         budgetMs: quick ? 2000 : 20000, compileMs: backend === 'cpu' ? 0 : 1000});
    cases.forEach(c => c.dispose());
    const netRows: FitRow[] = cases.map((c, i) => ({
                                          net,
                                          label: c.label,
                                          backend,
                                          msPerStep: timings[i]?.medianMs ?? null,
                                          vsTfjs: null,
                                          error: errors[i],
                                        }));
    for (const r of netRows) {
      const layout = r.label.endsWith('(NHWC)') ? '(NHWC)' : '(NCHW)';
      const ref = netRows.find(o => o.label === `tfjs BatchNormalization ${layout}`);
      r.vsTfjs = ratio(r.msPerStep, ref?.msPerStep ?? null);
      log(`    ${r.label}: ${r.msPerStep == null ? `failed: ${r.error}` :
                                                   `${r.msPerStep.toFixed(1)} ms/step`}`);
    }
    rows.push(...netRows);
  }
  return rows;
}
