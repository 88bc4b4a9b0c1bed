// SPDX-License-Identifier: Apache-2.0
/**
 * npm run bench [-- options]
 *
 * A full run times the CPU backend in Node, then WebGL and WebGPU in headless
 * Chromium (SwiftShader here: small and medium sizes unless --sizes is given;
 * skipped with a note when Chromium is missing).
 *
 *   --quick          CPU only, small and medium sizes, fewer repetitions (under a minute)
 *   --webgl          include WebGL in a --quick run (small size); fail if Chromium is missing
 *   --webgpu         include WebGPU in a --quick run (small size); fail if Chromium is missing
 *   --webgl-only     only WebGL
 *   --webgpu-only    only WebGPU
 *   --cpu-only       only the CPU backend
 *   --sizes=a,b      subset of small, medium, large
 *   --ops=a,b        ops whose name contains one of these (e.g. lrn,groupNorm)
 *   --pass=forward   or backward
 *   --no-fit         skip the fit() training-step benchmark
 *   --wasm           add tfjs's wasm backend in Node (one thread), the CPU cases without fit(), small
 *                    and medium sizes unless --sizes is given (tfjs-layers' LayerNormalization
 *                    gradient alone takes ~40 s a call on wasm at the medium size)
 *   --ort            add the ONNX Runtime section (bench/ort/): ours on cpu vs onnxruntime-node
 *                    and ours on tfjs wasm vs onnxruntime-web, one thread each, forward, medium
 *                    and large sizes (--sizes overrides); installs ORT into bench/.ort/ on first use
 *   --ort-only       only the ONNX Runtime section
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

import {chromePath, missingChromeMessage} from '../tools/chromium';
import type {BrowserBackend} from './browser';
import {Pass, SizeName, SIZES} from './cases';
import {checkCpuTargets, checkWebglTargets, FitRow, formatFit, formatRows, formatTargets, Row, TargetCheck} from './report';
import {runCases, runFit, SuiteOptions} from './suite';

export type BenchOptions = SuiteOptions;

export interface CliOptions extends BenchOptions {
  cpu: boolean;
  webgl: boolean;
  webgpu: boolean;
  /** WebGL and WebGPU sizes: --sizes if given, else small and medium (small with --quick). */
  webglSizes: SizeName[];
  /** Asked for explicitly: a missing Chromium is an error rather than a skipped run. */
  webglRequired: boolean;
  webgpuRequired: boolean;
  wasm: boolean;
  /** The ONNX Runtime section (bench/ort/); `sizesGiven`: --sizes was passed. */
  ort: boolean;
  sizesGiven: boolean;
}

export function parseArgs(argv: string[]): CliOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1];
  const known = ['quick', 'webgl', 'webgpu', 'webgl-only', 'webgpu-only', 'cpu-only', 'sizes',
                 'ops', 'pass', 'no-fit', 'no-baselines', 'wasm', 'ort', 'ort-only'];
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
    cpu: !flag('webgl-only') && !flag('webgpu-only') && !flag('ort-only'),
    webgl: !flag('cpu-only') && !flag('webgpu-only') && !flag('ort-only') &&
        (flag('webgl') || flag('webgl-only') || !quick),
    webgpu: !flag('cpu-only') && !flag('webgl-only') && !flag('ort-only') &&
        (flag('webgpu') || flag('webgpu-only') || !quick),
    webglRequired: flag('webgl') || flag('webgl-only'),
    webgpuRequired: flag('webgpu') || flag('webgpu-only'),
    webglSizes: (value('sizes')?.split(',') ?? (quick ? ['small'] : ['small', 'medium'])) as
        SizeName[],
    wasm: flag('wasm'),
    ort: flag('ort') || flag('ort-only'),
    sizesGiven: value('sizes') != null,
  };
}

/** Whether a run left out part of its backend's default cases (its results are .partial). */
export function isFiltered(opts: BenchOptions, backend: string): boolean {
  const defaultSizes = backend === 'webgl' || backend === 'webgpu' ? (opts.quick ? ['small'] : ['small', 'medium']) :
      opts.quick || backend === 'wasm'     ? ['small', 'medium'] :
                                             Object.keys(SIZES);
  return opts.ops != null || opts.pass != null || !opts.fit || !opts.baselines ||
      opts.sizes.join() !== defaultSizes.join();
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

/**
 * Writes bench/results/<backend>[.quick|.partial].json and the same tables as
 * markdown (.md), for BENCHMARKS.md.
 */
export function writeResults(
    backend: string, opts: BenchOptions, rows: Row[], fit: FitRow[], targets: TargetCheck[],
    extra: Record<string, unknown> = {}): string {
  const suffix = isFiltered(opts, backend) ? '.partial' : opts.quick ? '.quick' : '';
  const file = path.join(__dirname, 'results', `${backend}${suffix}.json`);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  const machine = machineInfo();
  const json = {
    backend,
    date: new Date().toISOString(),
    options: opts,
    machine,
    ...extra,
    sizes: Object.fromEntries(opts.sizes.map(s => [s, SIZES[s]])),
    rows,
    fit,
    targets,
  };
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  const md = [
    `Run of ${json.date} (${opts.quick ? 'quick' : 'full'}), ${backend}, ` +
        `node ${machine.node}, tfjs ${machine.tfjs}, ${machine.nproc} cpus (${machine.cpu}).`,
    '', formatRows(rows, true), '',
    ...(fit.length > 0 ? [formatFit(fit, true), ''] : []),
    ...(targets.length > 0 ? [formatTargets(targets, true), ''] : []),
  ];
  fs.writeFileSync(file.replace(/\.json$/, '.md'), md.join('\n'));
  return file;
}

function printReport(
    title: string, rows: Row[], fit: FitRow[], targets: TargetCheck[], targetSize: string): void {
  log(`\n## ${title}\n`);
  log(formatRows(rows));
  if (fit.length > 0) {
    log('');
    log(formatFit(fit));
  }
  if (targets.length > 0) {
    log(`\nTargets (medians, ${targetSize} size):`);
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
    printReport('CPU', rows, fit, targets, 'large');
    const file = writeResults('cpu', opts, rows, fit, targets,
                              {loadAverage: {start: load, end: os.loadavg()}});
    log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
  if (opts.wasm) {
    log('\nwasm backend (Node, one thread):');
    const {initWasmBackend} = await import('./wasm');
    const info = await initWasmBackend();
    await tf.setBackend('wasm');
    const wasmOpts: BenchOptions = {...opts, sizes: opts.sizesGiven ? opts.sizes : ['small', 'medium']};
    const rows = await runCases(wasmOpts, 'wasm', () => undefined, true, log);
    printReport('wasm', rows, [], [], '-');
    const file = writeResults('wasm', wasmOpts, rows, [], [],
                              {wasm: info, loadAverage: {start: load, end: os.loadavg()}});
    log(`\nwrote ${path.relative(process.cwd(), file)}`);
    await tf.setBackend('cpu');
  }
  const browserRuns: Array<[BrowserBackend, string, boolean, boolean]> = [
    ['webgl', 'WebGL', opts.webgl, opts.webglRequired],
    ['webgpu', 'WebGPU', opts.webgpu, opts.webgpuRequired],
  ];
  for (const [backend, label, wanted, required] of browserRuns) {
    if (wanted && !required && !fs.existsSync(chromePath())) {
      log(`\n${label} skipped: ${missingChromeMessage(chromePath())}.`);
    } else if (wanted) {
      const {runInChromium} = await import('./browser');
      log(`\n${label} backend (headless Chromium):`);
      const browserOpts: BenchOptions = {...opts, sizes: opts.webglSizes};
      const browserLoad = os.loadavg();
      const {rows, fit, info} = await runInChromium(backend, browserOpts, log);
      // SwiftShader is too slow for the large size by default: check at the largest size run.
      const largest = (['large', 'medium', 'small'] as SizeName[]).find(s => opts.webglSizes.includes(s));
      const targets = largest == null ? [] : checkWebglTargets(rows, largest, backend);
      printReport(label, rows, fit, targets, largest ?? '-');
      const file = writeResults(backend, browserOpts, rows, fit, targets,
                                {[backend]: info, loadAverage: {start: browserLoad, end: os.loadavg()}});
      log(`\nwrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (opts.ort) {
    const {runOrtSection} = await import('./ort/section');
    await runOrtSection(opts, opts.sizesGiven, log);
  }
  log(`\nbench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
