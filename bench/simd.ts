// SPDX-License-Identifier: Apache-2.0
/**
 * npm run bench:simd [-- options]
 *
 * The WebAssembly SIMD kernels (issue 13), in Node:
 *   cpu   ours with the SIMD module vs ours with the JavaScript kernels
 *         (SIMD_FLAG off), and the memory floor (bench/floor.ts); backward
 *         rows time tf.grads (forward + backward + autodiff), and each is
 *         followed by a 'backward kernel' row timing the Ms*Grad kernel
 *         alone (engine().runKernel on the inputs tf.grads gave it) against
 *         the backward floor (read x and dy, write dx);
 *   wasm  ours on tfjs's wasm backend (the module in place on its heap) vs
 *         composed tf ops and tfjs built-ins on wasm (below the large size),
 *         and ours on wasm over ours on cpu;
 *   copy  what moving the data costs: copying a tensor into a module memory
 *         and back, against the in-place kernel it would precede.
 *
 *   --sizes=a,b   subset of small, medium, large (default medium, large)
 *   --ops=a,b     ops whose name contains one of these
 *   --quick       fewer samples
 *   --cpu-only    the cpu section only (no wasm, no copy rows)
 *
 * Prints the tables and writes bench/results/simd.json and simd.md (a
 * filtered run: simd.partial.*).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {SIMD_FLAG} from '../src';
import {buildCases, SizeName, SIZES} from './cases';
import {floorPass} from './floor';
import {machineInfo} from './run';
import {opFilter, runCases, timingFor} from './suite';
import {measureAll, Output, tidyCall} from './timing';

interface SimdRow {
  op: string;
  pass: string;
  size: SizeName;
  simdMs: number|null;
  jsMs: number|null;
  floorMs: number|null;
  /** JavaScript path over SIMD path. */
  speedup: number|null;
  /** SIMD path over the floor. */
  xFloor: number|null;
  /** The same by the fastest sample (the least disturbed by other processes). */
  simdMinMs: number|null;
  jsMinMs: number|null;
  floorMinMs: number|null;
}

interface WasmRow {
  op: string;
  pass: string;
  size: SizeName;
  oursMs: number|null;
  composedMs: number|null;
  builtin: string|null;
  builtinMs: number|null;
  /** Ours on wasm over ours on cpu (SIMD). */
  overCpu: number|null;
}

interface CopyRow {
  size: SizeName;
  tensors: number;
  copyMs: number|null;
  megabytes: number;
}

function parse(argv: string[]) {
  const value = (name: string) => argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1];
  for (const a of argv) {
    if (!['--quick', '--cpu-only', '--sizes', '--ops'].includes(a.split('=')[0])) {
      throw new Error(`bench:simd: unknown option '${a}' (known: --quick, --cpu-only, --sizes, --ops)`);
    }
  }
  const sizes = (value('sizes')?.split(',') ?? ['medium', 'large']) as SizeName[];
  for (const s of sizes) {
    if (!(s in SIZES)) {
      throw new Error(`bench:simd: unknown size '${s}' (small, medium, large)`);
    }
  }
  return {quick: argv.includes('--quick'), cpuOnly: argv.includes('--cpu-only'), sizes,
          ops: value('ops')?.split(',') ?? null};
}

const ratio = (a: number|null, b: number|null) => (a == null || b == null ? null : a / b);
const fmt = (v: number|null, digits = 2) => (v == null ? '-' : v < 1 ? v.toFixed(3) : v.toFixed(digits));
const log = (line: string) => process.stdout.write(`${line}\n`);

/** A backward kernel call as tf.grads makes it: its name, inputs (kept) and attributes. */
interface KernelCall {
  name: string;
  inputs: tf.NamedTensorMap;
  attrs: tf.NamedAttrMap;
}

/**
 * Runs `run` once and records the first Ms*Grad kernel it calls, keeping that
 * call's inputs, so the kernel can be timed alone on its real inputs.
 */
function captureBackwardKernel(run: () => unknown): KernelCall|null {
  const engine = tf.engine();
  const runKernel = engine.runKernel;
  let captured: KernelCall|null = null;
  engine.runKernel = ((name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => {
    if (captured == null && /^Ms\w*Grad$/.test(name)) {
      captured = {name, inputs: Object.fromEntries(Object.entries(inputs)
                                                       .map(([k, t]) => [k, tf.keep(t.clone())])),
                  attrs: {...attrs}};
    }
    return runKernel.call(engine, name, inputs, attrs);
  }) as typeof runKernel;
  try {
    tf.dispose(tf.tidy(() => run() as tf.TensorContainer));
  } finally {
    engine.runKernel = runKernel;
  }
  return captured;
}

/** Ours with the module and with the JavaScript kernels on cpu, and the floor, interleaved. */
async function cpuRow(size: SizeName, op: string, pass: string, run: () => Output,
                      floor: () => void, quick: boolean): Promise<SimdRow> {
  const withFlag = (on: boolean) => () => {
    tf.env().set(SIMD_FLAG, on);
    return run();
  };
  const {timings} = await measureAll(
      [tidyCall(withFlag(true), () => undefined), tidyCall(withFlag(false), () => undefined), floor],
      timingFor(size, quick));
  tf.env().set(SIMD_FLAG, true);
  const [simd, js, floorMs] = timings.map(t => t?.medianMs ?? null);
  const [simdMin, jsMin, floorMin] = timings.map(t => t?.minMs ?? null);
  log(`  cpu ${op} ${pass} ${size}: simd ${fmt(simd)}, js ${fmt(js)}, floor ${fmt(floorMs)} ms` +
      ` (by min ${fmt(simdMin)}, ${fmt(jsMin)}, ${fmt(floorMin)})`);
  return {op, pass, size, simdMs: simd, jsMs: js, floorMs, speedup: ratio(js, simd),
          xFloor: ratio(simd, floorMs), simdMinMs: simdMin, jsMinMs: jsMin, floorMinMs: floorMin};
}

async function cpuRows(opts: ReturnType<typeof parse>): Promise<SimdRow[]> {
  await tf.setBackend('cpu');
  const rows: SimdRow[] = [];
  for (const size of opts.sizes) {
    const elements = SIZES[size].reduce((a, b) => a * b, 1);
    const set = buildCases(SIZES[size], opFilter(opts.ops));
    for (const c of set.cases) {
      const floor = floorPass(elements, c.floorReads);
      rows.push(await cpuRow(size, c.op, c.pass, c.ours.run, floor, opts.quick));
      const kernel = c.pass === 'backward' ? captureBackwardKernel(c.ours.run) : null;
      if (kernel != null) {
        const {name, inputs, attrs} = kernel;
        rows.push(await cpuRow(size, c.op, 'backward kernel',
                               () => tf.engine().runKernel(name, inputs, attrs) as Output, floor,
                               opts.quick));
        tf.dispose(Object.values(inputs));
      }
    }
    set.dispose();
  }
  return rows;
}

async function wasmRows(opts: ReturnType<typeof parse>, cpu: SimdRow[]): Promise<WasmRow[]> {
  await tf.setBackend('wasm');
  const rows = [];
  for (const size of opts.sizes) {
    // The composed and built-in ops on wasm take minutes per call at the large size (LRN's
    // composed backward, tfjs-layers' LayerNormalization gradient): baselines below it only.
    rows.push(...await runCases({...opts, sizes: [size], pass: null, fit: false, baselines: size !== 'large'},
                                'wasm', () => undefined, false, line => log(`  wasm${line}`)));
  }
  return rows.map(r => {
    const onCpu = cpu.find(c => c.op === r.op && c.pass === r.pass && c.size === r.size);
    return {op: r.op, pass: r.pass, size: r.size, oursMs: r.oursMs, composedMs: r.composedMs,
            builtin: r.builtin, builtinMs: r.builtinMs, overCpu: ratio(r.oursMs, onCpu?.simdMs ?? null)};
  });
}

/**
 * Copying `tensors` float32 tensors of a size from tfjs-wasm's heap into a
 * separate module memory and one back: what a module with its own memory
 * would add to every call on wasm (and what the cpu path pays).
 */
async function copyRows(opts: ReturnType<typeof parse>): Promise<CopyRow[]> {
  await tf.setBackend('wasm');
  const rows: CopyRow[] = [];
  for (const size of opts.sizes) {
    const elements = SIZES[size].reduce((a, b) => a * b, 1);
    for (const tensors of [1, 2]) {
      const inputs = Array.from({length: tensors}, () => tf.randomNormal([elements]));
      const out = tf.zeros([elements]);
      const backend = tf.backend() as unknown as {typedArrayFromHeap(t: tf.TensorInfo): Float32Array};
      const own = new WebAssembly.Memory({initial: Math.ceil(4 * elements * (tensors + 1) / 65536)});
      const call = () => {
        const mem = new Float32Array(own.buffer);
        inputs.forEach((t, i) => mem.set(backend.typedArrayFromHeap(t), i * elements));
        backend.typedArrayFromHeap(out).set(mem.subarray(tensors * elements, (tensors + 1) * elements));
      };
      const {timings} = await measureAll([call], timingFor(size, opts.quick));
      tf.dispose([...inputs, out]);
      rows.push({size, tensors, copyMs: timings[0]?.medianMs ?? null,
                 megabytes: 4 * elements * (tensors + 1) / 2 ** 20});
      log(`  copy ${tensors} in + 1 out, ${size}: ${fmt(timings[0]?.medianMs ?? null)} ms`);
    }
  }
  return rows;
}

function markdown(cpu: SimdRow[], wasm: WasmRow[], copies: CopyRow[]): string {
  const lines = [
    '| op | pass | size | SIMD ms | JS ms | JS / SIMD | floor ms | SIMD x floor | by min: JS / SIMD | SIMD x floor |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...cpu.map(r => `| ${r.op} | ${r.pass} | ${r.size} | ${fmt(r.simdMs)} | ${fmt(r.jsMs)} | ` +
                    `${fmt(r.speedup)} | ${fmt(r.floorMs)} | ${fmt(r.xFloor)} | ` +
                    `${fmt(ratio(r.jsMinMs, r.simdMinMs))} | ${fmt(ratio(r.simdMinMs, r.floorMinMs))} |`),
    '',
    '| op | pass | size | ours on wasm ms | composed on wasm ms | built-in on wasm | ms | ours wasm / ours cpu |',
    '|---|---|---|---|---|---|---|---|',
    ...wasm.map(r => `| ${r.op} | ${r.pass} | ${r.size} | ${fmt(r.oursMs)} | ${fmt(r.composedMs)} | ` +
                     `${r.builtin ?? '-'} | ${fmt(r.builtinMs)} | ${fmt(r.overCpu)} |`),
    '',
    '| size | tensors copied in + out | MB moved | copy ms |', '|---|---|---|---|',
    ...copies.map(r => `| ${r.size} | ${r.tensors} + 1 | ${r.megabytes.toFixed(0)} | ${fmt(r.copyMs)} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  tf.env().set('IS_TEST', true);
  const load = os.loadavg();
  log(`bench:simd: sizes ${opts.sizes.join(', ')}, load average ${load.map(l => l.toFixed(2)).join(' ')}`);
  const cpu = await cpuRows(opts);
  const wasm = opts.cpuOnly ? [] : await wasmRows(opts, cpu);
  const copies = opts.cpuOnly ? [] : await copyRows(opts);
  const end = os.loadavg();
  const table = markdown(cpu, wasm, copies);
  log(`\n${table}\n\nload average at the end ${end.map(l => l.toFixed(2)).join(' ')}`);
  const filtered =
      opts.ops != null || opts.sizes.join() !== 'medium,large' || opts.quick || opts.cpuOnly;
  const file = path.join(__dirname, 'results', `simd${filtered ? '.partial' : ''}.json`);
  const date = new Date().toISOString();
  fs.writeFileSync(file, `${JSON.stringify({date, options: opts, machine: machineInfo(),
                                            loadAverage: {start: load, end}, cpu, wasm, copies}, null, 2)}\n`);
  fs.writeFileSync(file.replace(/\.json$/, '.md'),
                   `Run of ${date}, load average ${load.map(l => l.toFixed(2)).join(' ')} -> ` +
                       `${end.map(l => l.toFixed(2)).join(' ')}.\n\n${table}\n`);
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
