// SPDX-License-Identifier: Apache-2.0
/**
 * The ONNX Runtime section: per size and case, ours on tfjs's cpu backend
 * against onnxruntime-node (native CPU EP, one thread) with the memory floor,
 * then ours on tfjs's wasm backend against onnxruntime-web's wasm build (one
 * thread), each pair interleaved by measureAll. Before timing, every ORT
 * output must agree with ours on cpu, or the run fails.
 */
import * as tf from '@tensorflow/tfjs-core';

import {SizeName, SIZES} from '../cases';
import {floorPass} from '../floor';
import {opFilter, SuiteOptions, timingFor} from '../suite';
import {Call, measureAll, median, tidyCall, Timing} from '../timing';
import {initWasmBackend} from '../wasm';
import {cpuTimed, cpuTimePerCall} from './cpu_time';
import {BenchTensors, buildOrtCases, makeHostData, OrtCase, toTensors} from './cases';
import {OrtRow} from './report';
import {ensureOrtInstalled, loadOrtNode, loadOrtWeb, NODE_SESSION_OPTIONS, Ort, OrtSession, OrtTensor, SessionOptions, WEB_SESSION_OPTIONS} from './runtime';

/** Sizes of the section: the main bench's medium and large (medium only with --quick). */
export function ortSizes(opts: SuiteOptions, explicitSizes: boolean): SizeName[] {
  return explicitSizes ? opts.sizes : opts.quick ? ['medium'] : ['medium', 'large'];
}

export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Agreement at the bench sizes: |ORT - ours| <= atol + rtol * |ours|. ORT
 * accumulates in float32 (ours in float64), and its wasm build's
 * GroupNormalization differs by up to 4e-5 over 131K-element groups.
 */
export const BENCH_TOLERANCE: Tolerance = {atol: 1e-4, rtol: 1e-4};

/**
 * The semantic check first runs every model on a small shape, where float32
 * rounding stays near 1e-7 and a different convention is far above this (the
 * unbiased variance update is 8/7 times the biased one there, LRN's alpha
 * divided by 11 changes every output).
 */
export const SEMANTIC_TOLERANCE: Tolerance = {atol: 2e-6, rtol: 2e-6};
export const SEMANTIC_SHAPE: [number, number, number, number] = [2, 16, 2, 4];

export interface Agreement {
  maxAbsDiff: number;
  /** The first element outside the tolerance, if any. */
  failure: string|null;
}

export function agreement(name: string, actual: Float32Array, expected: Float32Array,
                          tol: Tolerance = BENCH_TOLERANCE): Agreement {
  if (actual.length !== expected.length) {
    return {maxAbsDiff: Infinity,
            failure: `${name}: ${actual.length} values, expected ${expected.length}`};
  }
  let maxAbsDiff = 0;
  let failure: string|null = null;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= maxAbsDiff)) {
      maxAbsDiff = Number.isNaN(d) ? Infinity : d;
    }
    if (failure == null && !(d <= tol.atol + tol.rtol * Math.abs(expected[i]))) {
      failure = `${name}[${i}] = ${actual[i]}, ours ${expected[i]} (|diff| ${d.toExponential(2)})`;
    }
  }
  return {maxAbsDiff, failure};
}

interface Runner {
  ort: Ort;
  session: OrtSession;
  feeds: Record<string, OrtTensor>;
  outputs: string[];
}

async function runner(ort: Ort, c: OrtCase, options: SessionOptions): Promise<Runner> {
  const session = await ort.InferenceSession.create(c.model.bytes, options);
  const feeds: Record<string, OrtTensor> =
      Object.fromEntries(c.model.inputs.map(i => [i.name, new ort.Tensor('float32', i.data, i.shape)]));
  return {ort, session, feeds, outputs: c.model.outputs};
}

/** One ORT run on fresh copies of the inputs (ORT may update BatchNorm's statistics in place). */
async function ortOutputs(r: Runner, c: OrtCase): Promise<Float32Array[]> {
  const feeds = Object.fromEntries(
      c.model.inputs.map(i => [i.name, new r.ort.Tensor('float32', i.data.slice(), i.shape)]));
  const out = await r.session.run(feeds);
  return r.outputs.map(name => {
    const t = out[name];
    if (t == null) {
      throw new Error(`ORT: no output '${name}' for ${c.model.label}`);
    }
    const data = Float32Array.from(t.data as Float32Array);
    t.dispose?.();
    return data;
  });
}

function ortCall(r: Runner): Call {
  return async () => {
    const out = await r.session.run(r.feeds);
    Object.values(out).forEach(t => t.dispose?.());
  };
}

/** Ours' outputs in the model's order, as host arrays. */
function oursOutputs(c: OrtCase, t: BenchTensors): Float32Array[] {
  return tf.tidy(() => c.asModelOutputs(c.ours(t))).map(o => {
    const data = o.dataSync() as Float32Array;
    o.dispose();
    return Float32Array.from(data);
  });
}

/** Checks every output; throws with the first disagreement. Returns the largest difference. */
function check(engine: string, c: OrtCase, actual: Float32Array[], expected: Float32Array[],
               tol: Tolerance = BENCH_TOLERANCE): number {
  let worst = 0;
  actual.forEach((a, i) => {
    const {maxAbsDiff, failure} = agreement(`${engine} ${c.model.outputs[i]}`, a, expected[i], tol);
    worst = Math.max(worst, maxAbsDiff);
    if (failure != null) {
      throw new Error(`ORT disagrees with ours on cpu for ${c.op} (${c.model.label}): ${failure} ` +
                      `(tolerance ${tol.atol} + ${tol.rtol} * |ours|, shape ${c.model.inputs[0].shape})`);
    }
  });
  return worst;
}

const maxDiff = (a: Float32Array[], b: Float32Array[]) =>
    Math.max(...a.map((v, i) => agreement('', v, b[i]).maxAbsDiff));

/** Every model on SEMANTIC_SHAPE, ORT node and web against ours on cpu; throws on a mismatch. */
async function checkSemantics(opts: SuiteOptions, ortNode: Ort, ortWeb: Ort,
                              log: (line: string) => void): Promise<void> {
  await tf.setBackend('cpu');
  const host = makeHostData(SEMANTIC_SHAPE);
  const t = toTensors(host);
  let worst = 0;
  for (const c of buildOrtCases(host, opFilter(opts.ops))) {
    const reference = oursOutputs(c, t);
    for (const [name, ort, options] of [['onnxruntime-node', ortNode, NODE_SESSION_OPTIONS],
                                        ['onnxruntime-web', ortWeb, WEB_SESSION_OPTIONS]] as const) {
      const r = await runner(ort, c, options);
      worst = Math.max(worst, check(name, c, await ortOutputs(r, c), reference, SEMANTIC_TOLERANCE));
      await r.session.release();
    }
  }
  tf.dispose(Object.values(t));
  log(`  every ORT model agrees with ours on cpu at [${SEMANTIC_SHAPE}] ` +
      `(max |diff| ${worst.toExponential(1)}, tolerance ${SEMANTIC_TOLERANCE.atol} + ` +
      `${SEMANTIC_TOLERANCE.rtol} * |ours|)`);
}

type Measured = {timings: Array<Timing|null>};

const min = (m: Measured, i: number) => m.timings[i]?.minMs ?? null;

/** Median over rounds of sample a / sample b (sample k of each call is from round k). */
function paired(m: Measured, a: number, b: number): number|null {
  const sa = m.timings[a]?.samplesMs ?? [];
  const sb = m.timings[b]?.samplesMs ?? [];
  const n = Math.min(sa.length, sb.length);
  return n === 0 ? null : median(sa.slice(0, n).map((v, i) => v / sb[i]));
}

const ratio = (a: number|null, b: number|null) => a == null || b == null ? null : a / b;

export async function runOrtCases(
    opts: SuiteOptions, sizes: SizeName[], log: (line: string) => void):
    Promise<{rows: OrtRow[], info: Record<string, unknown>}> {
  ensureOrtInstalled(log);
  const ortNode = loadOrtNode();
  const ortWeb = loadOrtWeb();
  const wasmInfo = await initWasmBackend();
  const info = {
    onnxruntimeNode: ortNode.env.versions.node,
    onnxruntimeWeb: ortWeb.env.versions.web,
    nodeSessionOptions: NODE_SESSION_OPTIONS,
    webSessionOptions: WEB_SESSION_OPTIONS,
    webNumThreads: ortWeb.env.wasm.numThreads,
    tfjsWasm: wasmInfo,
    tolerance: {bench: BENCH_TOLERANCE, semantic: SEMANTIC_TOLERANCE, semanticShape: SEMANTIC_SHAPE},
  };
  log(`  onnxruntime-node ${info.onnxruntimeNode} (cpu EP, 1 intra-op thread, sequential), ` +
      `onnxruntime-web ${info.onnxruntimeWeb} (wasm, numThreads 1); tfjs wasm: ` +
      `${JSON.stringify(wasmInfo)}`);
  await checkSemantics(opts, ortNode, ortWeb, log);
  const rows: OrtRow[] = [];
  for (const size of sizes) {
    const host = makeHostData(SIZES[size]);
    const cases = buildOrtCases(host, opFilter(opts.ops));
    await tf.setBackend('cpu');
    const onCpu = toTensors(host);
    await tf.setBackend('wasm');
    const onWasm = toTensors(host);
    const floor = floorPass(host.x.length, 1);
    const timing = timingFor(size, opts.quick, 'cpu');
    for (const c of cases) {
      await tf.setBackend('cpu');
      const reference = oursOutputs(c, onCpu);
      const node = await runner(ortNode, c, NODE_SESSION_OPTIONS);
      const maxDiffOrtNode = check('onnxruntime-node', c, await ortOutputs(node, c), reference);
      const cpuCalls = [tidyCall(() => c.ours(onCpu), () => undefined), ortCall(node), floor].map(cpuTimed);
      const cpu = await measureAll(cpuCalls.map(t => t.call), timing);
      await node.session.release();

      await tf.setBackend('wasm');
      const maxDiffOursWasm = maxDiff(oursOutputs(c, onWasm), reference);
      const web = await runner(ortWeb, c, WEB_SESSION_OPTIONS);
      const maxDiffOrtWeb = check('onnxruntime-web', c, await ortOutputs(web, c), reference);
      const wasmCalls = [tidyCall(() => c.ours(onWasm), () => undefined), ortCall(web)].map(cpuTimed);
      const wasm = await measureAll(wasmCalls.map(t => t.call), timing);
      await web.session.release();

      const [oursCpu, ortNodeT, floorT] = cpu.timings.map(t => t?.medianMs ?? null);
      const [oursWasm, ortWebT] = wasm.timings.map(t => t?.medianMs ?? null);
      const [cpuOursCpu, cpuOrtNode, cpuFloor, cpuOursWasm, cpuOrtWeb] =
          [...cpuCalls, ...wasmCalls].map(t => cpuTimePerCall(t, timing.warmup));
      const row: OrtRow = {
        op: c.op, onnx: c.model.label, size, shape: host.shape,
        oursCpuMs: oursCpu, ortNodeMs: ortNodeT, cpuOverOrtNode: ratio(oursCpu, ortNodeT),
        floorMs: floorT,
        oursWasmMs: oursWasm, ortWebMs: ortWebT, wasmOverOrtWeb: ratio(oursWasm, ortWebT),
        cpuTimeMs: {oursCpu: cpuOursCpu, ortNode: cpuOrtNode, floor: cpuFloor, oursWasm: cpuOursWasm,
                    ortWeb: cpuOrtWeb},
        cpuTimeCpuOverOrtNode: ratio(cpuOursCpu, cpuOrtNode),
        cpuTimeWasmOverOrtWeb: ratio(cpuOursWasm, cpuOrtWeb),
        pairedCpuOverOrtNode: paired(cpu, 0, 1),
        pairedWasmOverOrtWeb: paired(wasm, 0, 1),
        minMs: {oursCpu: min(cpu, 0), ortNode: min(cpu, 1), floor: min(cpu, 2), oursWasm: min(wasm, 0),
                ortWeb: min(wasm, 1)},
        maxDiffOrtNode, maxDiffOrtWeb, maxDiffOursWasm,
        errors: [...cpu.errors, ...wasm.errors].filter((e): e is string => e != null),
      };
      rows.push(row);
      const f = (v: number|null) => v == null ? 'failed' : v < 1 ? v.toFixed(4) : v.toFixed(2);
      log(`  ${c.op} [${c.model.label}] ${size}: ours cpu ${f(oursCpu)}, ORT node ${f(ortNodeT)}, ` +
          `floor ${f(floorT)}, ours wasm ${f(oursWasm)}, ORT web ${f(ortWebT)} ms; CPU time ` +
          `${[cpuOursCpu, cpuOrtNode, cpuFloor, cpuOursWasm, cpuOrtWeb].map(f).join(', ')} ms ` +
          `(max diff node ${maxDiffOrtNode.toExponential(1)}, web ${maxDiffOrtWeb.toExponential(1)}, ` +
          `ours wasm ${maxDiffOursWasm.toExponential(1)})`);
    }
    tf.dispose(Object.values(onWasm));
    await tf.setBackend('cpu');
    tf.dispose(Object.values(onCpu));
  }
  return {rows, info};
}
