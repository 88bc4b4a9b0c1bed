// SPDX-License-Identifier: Apache-2.0
/**
 * Process CPU time (user + system, every thread) per call. All the compared
 * engines run on one thread, so on a shared machine where the wall clock also
 * counts the time the scheduler gives to other processes, CPU time is the
 * steadier measure of the same work (page faults are system time: included).
 */
import {Call} from '../timing';

export interface CpuTimedCall {
  call: Call;
  /** CPU ms of every call, warm-up calls first. */
  perCallMs: number[];
}

export function cpuTimed(call: Call): CpuTimedCall {
  const perCallMs: number[] = [];
  const timed: Call = () => {
    const start = process.cpuUsage();
    const record = () => {
      const d = process.cpuUsage(start);
      perCallMs.push((d.user + d.system) / 1000);
    };
    const done = call();
    if (done != null) {
      return done.then(record);
    }
    record();
    return undefined;
  };
  return {call: timed, perCallMs};
}

/**
 * Mean CPU ms per call after the first `warmup` calls. A mean, not a median:
 * this kernel accounts CPU time by ticks (CONFIG_TICK_CPU_ACCOUNTING), so a
 * single millisecond-long call reads 0.5-6 ms, while the total over many calls
 * is exact.
 */
export function cpuTimePerCall(t: CpuTimedCall, warmup: number): number|null {
  const samples = t.perCallMs.slice(Math.min(warmup, t.perCallMs.length - 1));
  return samples.length === 0 ? null : samples.reduce((a, b) => a + b, 0) / samples.length;
}
