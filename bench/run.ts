/**
 * npm run bench [-- options]
 *
 *   --quick          small and medium sizes, fewer repetitions (under a minute)
 *   --webgl          also run the WebGL cases in headless Chromium
 *   --webgl-only     only WebGL
 *   --sizes=a,b      subset of small, medium, large
 *   --ops=a,b        ops whose name contains one of these (e.g. lrn,groupNorm)
 *   --pass=forward   or backward
 *   --no-fit         skip the fit() training-step benchmark
 *
 * Prints the table and writes bench/results/<backend>.json (a run with
 * --quick writes <backend>.quick.json; a filtered one <backend>.partial.json).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

import {execSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {Pass, SizeName, SIZES} from './cases';
import {checkCpuTargets, checkWebglTargets, FitRow, formatFit, formatRows, formatTargets, Row, TargetCheck} from './report';
import {runCases, runFit, SuiteOptions} from './suite';

export type BenchOptions = SuiteOptions;

export function parseArgs(argv: string[]): BenchOptions&{cpu: boolean, webgl: boolean} {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1];
  const known = ['quick', 'webgl', 'webgl-only', 'sizes', 'ops', 'pass', 'no-fit', 'no-baselines'];
  for (const a of argv) {
    if (!known.includes(a.replace(/^--/, '').split('=')[0])) {
      throw new Error(`bench: unknown option '${a}' (known: ${known.map(k => `--${k}`).join(', ')})`);
    }
  }
  const quick = flag('quick');
  const sizes = (value('sizes')?.split(',') ?? (quick ? ['small', 'medium'] : Object.keys(SIZES)));
  for (const s of sizes) {
    if (!(s in SIZES)) {
      throw new Error(`bench: unknown size '${s}' (small, medium, large)`);
    }
  }
  const pass = value('pass') ?? null;
  if (pass != null && pass !== 'forward' && pass !== 'backward') {
    throw new Error(`bench: --pass must be forward or backward, got '${pass}'`);
  }
  return {
    quick,
    sizes: sizes as SizeName[],
    ops: value('ops')?.split(',') ?? null,
    pass: pass as Pass|null,
    fit: !flag('no-fit'),
    baselines: !flag('no-baselines'),
    cpu: !flag('webgl-only'),
    webgl: flag('webgl') || flag('webgl-only'),
  };
}

export function isFiltered(opts: BenchOptions): boolean {
  return opts.ops != null || opts.pass != null || !opts.fit || !opts.baselines ||
      opts.sizes.join() !== (opts.quick ? 'small,medium' : Object.keys(SIZES).join());
}

export function machineInfo(): Record<string, unknown> {
  let lscpu = '';
  try {
    lscpu = execSync('lscpu | head -20', {encoding: 'utf8'});
  } catch {
    lscpu = 'lscpu unavailable';
  }
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    tfjs: tf.version_core,
    platform: `${os.platform()} ${os.release()}`,
    lscpu: lscpu.trim().split('\n'),
  };
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function runCpu(opts: BenchOptions): Promise<{rows: Row[], fit: FitRow[]}> {
  await tf.setBackend('cpu');
  await tf.ready();
  const noFinish = () => undefined;
  const rows = await runCases(opts, 'cpu', noFinish, true, log);
  const fit = opts.fit ? await runFit('cpu', opts.quick, noFinish, log) : [];
  return {rows, fit};
}

export function writeResults(
    backend: string, opts: BenchOptions, rows: Row[], fit: FitRow[], targets: TargetCheck[],
    extra: Record<string, unknown> = {}): string {
  const suffix = isFiltered(opts) ? '.partial' : opts.quick ? '.quick' : '';
  const file = path.join(__dirname, 'results', `${backend}${suffix}.json`);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  const json = {
    backend,
    date: new Date().toISOString(),
    options: opts,
    machine: machineInfo(),
    ...extra,
    sizes: Object.fromEntries(opts.sizes.map(s => [s, SIZES[s]])),
    rows,
    fit,
    targets,
  };
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

function printReport(title: string, rows: Row[], fit: FitRow[], targets: TargetCheck[]): void {
  log(`\n## ${title}\n`);
  log(formatRows(rows));
  if (fit.length > 0) {
    log('');
    log(formatFit(fit));
  }
  if (targets.length > 0) {
    log('\nTargets (large size, medians):');
    log(formatTargets(targets));
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  tf.env().set('IS_TEST', true);  // no "install tfjs-node" banner
  const started = Date.now();
  const load = os.loadavg();
  log(`bench: ${opts.quick ? 'quick' : 'full'} run, sizes ${opts.sizes.join(', ')}; ` +
      `node ${process.version}, ${os.cpus().length} cpus, load average ${load.map(l => l.toFixed(2)).join(' ')}`);
  if (opts.cpu) {
    log('\nCPU backend (Node):');
    const {rows, fit} = await runCpu(opts);
    const targets = opts.sizes.includes('large') ? checkCpuTargets(rows) : [];
    printReport('CPU', rows, fit, targets);
    const file = writeResults('cpu', opts, rows, fit, targets,
                              {loadAverage: {start: load, end: os.loadavg()}});
    log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
  if (opts.webgl) {
    const {runWebgl} = await import('./webgl');
    log('\nWebGL backend (headless Chromium):');
    const {rows, fit, info} = await runWebgl(opts, log);
    const targets = opts.sizes.includes('large') ? checkWebglTargets(rows) : [];
    printReport('WebGL', rows, fit, targets);
    const file = writeResults('webgl', opts, rows, fit, targets, {webgl: info});
    log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
  log(`\nbench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
