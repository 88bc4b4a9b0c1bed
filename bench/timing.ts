// SPDX-License-Identifier: Apache-2.0
/**
 * Timing: warm-up, then several samples, median reported. A sample that would
 * take less than `minSampleMs` runs the call several times and divides, so
 * microsecond-scale calls (the small size) are not timer noise.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Anything a benchmarked function may return: tensors, lists or records of them, or nothing. */
export type Output = tf.TensorContainer|void;

/**
 * Waits until the work behind `out` is done. On the CPU backend every kernel
 * is synchronous, so this is a no-op; on WebGL it must block on the GPU.
 */
export type Finish = (out: Output) => void|Promise<void>;

/** One timed call; it frees whatever it allocates. */
export type Call = () => void|Promise<void>;

export interface TimingOptions {
  warmup: number;
  reps: number;
  /** Calls per sample are raised until a sample takes at least this long. */
  minSampleMs: number;
  /** Upper bound of calls per sample. */
  maxCallsPerSample: number;
  /**
   * Time budget per call for its samples: a call slower than budgetMs / reps
   * gets fewer samples (at least one after the warm-up), and one slower than
   * both 2 * budgetMs and compileMs keeps its warm-up run as its only sample.
   */
  budgetMs: number;
  /** A first call shorter than this may be shader compilation: warm up again (WebGL). */
  compileMs?: number;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  /** Per-call time of every sample, in run order. */
  samplesMs: number[];
  callsPerSample: number;
}

const now = () => performance.now();

/** A call that runs `run` inside tf.tidy, waits for its result, then frees it. */
export function tidyCall(run: () => Output, finish: Finish): Call {
  return () => {
    const out = tf.tidy(() => run() as tf.TensorContainer);
    const done = finish(out);
    if (done != null) {
      return done.then(() => tf.dispose(out));
    }
    tf.dispose(out);
    return undefined;
  };
}

/** Collects garbage between samples when Node runs with --expose-gc. */
function collectGarbage(): void {
  const gc = (globalThis as {gc?: () => void}).gc;
  if (gc != null) {
    gc();
  }
}

async function timeCalls(call: Call, count: number): Promise<number> {
  const t0 = now();
  for (let k = 0; k < count; k++) {
    const p = call();
    if (p != null) {
      await p;
    }
  }
  return (now() - t0) / count;
}

/**
 * Times several calls on the same data. After each call's warm-up, the
 * samples are interleaved (one of each per round) so that load from other
 * processes on a shared machine falls on all of them alike. A call that
 * throws in its warm-up (e.g. an op without a kernel on this backend) gets a
 * null timing and its error message.
 */
export async function measureAll(calls: Call[], opts: TimingOptions):
    Promise<{timings: Array<Timing|null>, errors: Array<string|null>}> {
  const perSample: number[] = [];
  const reps: number[] = [];
  const samples: number[][] = calls.map(() => []);
  const errors: Array<string|null> = calls.map(() => null);
  for (let v = 0; v < calls.length; v++) {
    let first = Infinity;
    try {
      for (let i = 0; i < Math.max(1, opts.warmup) && (i === 0 || first <= opts.budgetMs);
           i++) {
        first = Math.min(first, await timeCalls(calls[v], 1));
      }
    } catch (e) {
      errors[v] = e instanceof Error ? e.message : String(e);
      reps.push(0);
      perSample.push(0);
      continue;
    }
    if (first > Math.max(2 * opts.budgetMs, opts.compileMs ?? 0)) {
      // Seconds-long calls (the composed baselines at the large size): the
      // warm-up is the sample, start-up costs are negligible next to it.
      samples[v].push(first);
      reps.push(0);
      perSample.push(1);
      continue;
    }
    const n = Math.max(
        1, Math.min(opts.maxCallsPerSample, Math.ceil(opts.minSampleMs / Math.max(first, 1e-3))));
    perSample.push(n);
    reps.push(Math.max(1, Math.min(opts.reps, Math.floor(opts.budgetMs / (first * n)))));
  }
  for (let r = 0; r < opts.reps; r++) {
    for (let v = 0; v < calls.length; v++) {
      if (r < reps[v]) {
        collectGarbage();
        samples[v].push(await timeCalls(calls[v], perSample[v]));
      }
    }
  }
  const timings = samples.map((samplesMs, v) => samplesMs.length === 0 ? null : {
    medianMs: median(samplesMs),
    minMs: Math.min(...samplesMs),
    samplesMs,
    callsPerSample: perSample[v],
  });
  return {timings, errors};
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
