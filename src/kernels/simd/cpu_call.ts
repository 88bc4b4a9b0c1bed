// SPDX-License-Identifier: Apache-2.0
/**
 * SIMD calls for the cpu backend. Its tensors are JavaScript typed arrays, so
 * inputs are copied into the module's own memory and outputs copied out (see
 * BENCHMARKS.md for what the copies cost). The memory grows to the largest
 * call's working set; a WebAssembly memory cannot shrink, so a memory grown
 * beyond RETAINED_BYTES is dropped after the call (the next call starts a new,
 * small one) and at most RETAINED_BYTES stay allocated between calls.
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {TensorInfo, TypedArray, util} from '@tensorflow/tfjs-core';

import {align16, SimdCall} from './simd_call';
import {SimdExports} from './simd_exports';
import {instantiate} from './simd_module';

const PAGE = 65536;
/** Memory kept between calls: covers tensors of a few million values without regrowing. */
export const RETAINED_BYTES = 64 * 1024 * 1024;
/** The module memory's hard limit (wasm32 allows 4 GiB; engines may refuse more than 2). */
export const MAX_BYTES = 2048 * 1024 * 1024;
/** First 16 bytes unused, so no buffer sits at address 0. */
const BASE = 16;

interface Arena {
  memory: WebAssembly.Memory;
  exports: SimdExports;
}

let arena: Arena|null = null;
let calls = 0;

/** Kernel calls the cpu backend has run on the module so far. */
export function cpuSimdCallCount(): number {
  return calls;
}

function currentArena(): Arena {
  if (arena == null) {
    const memory = new WebAssembly.Memory({initial: 16, maximum: MAX_BYTES / PAGE});
    arena = {memory, exports: instantiate(memory)};
  }
  return arena;
}

/** Bytes the cpu path's module memory holds now (0 when it has none). */
export function cpuSimdMemoryBytes(): number {
  return arena == null ? 0 : arena.memory.buffer.byteLength;
}

/** A call's working set exceeds what the module memory can hold: use the JavaScript kernel. */
class ModuleMemoryExhausted extends Error {}

class CpuCall implements SimdCall {
  readonly k: SimdExports;
  private readonly memory: WebAssembly.Memory;
  private top = BASE;
  private readonly outputs: Array<{address: number, shape: number[]}> = [];

  constructor(private readonly backend: MathBackendCPU) {
    const {memory, exports} = currentArena();
    this.memory = memory;
    this.k = exports;
  }

  private alloc(bytes: number): number {
    const address = this.top;
    this.top = align16(address + bytes);
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      try {
        this.memory.grow(Math.ceil((this.top - have) / PAGE));
      } catch (e) {
        throw new ModuleMemoryExhausted();
      }
    }
    return address;
  }

  input(t: TensorInfo): number {
    const values = this.backend.data.get(t.dataId).values as TypedArray;
    const address = this.alloc(values.length * 4);
    new Float32Array(this.memory.buffer, address, values.length).set(values);
    return address;
  }

  output(shape: number[]): number {
    const address = this.alloc(util.sizeFromShape(shape) * 4);
    this.outputs.push({address, shape});
    return address;
  }

  scratch(bytes: number): number {
    return this.alloc(bytes);
  }

  read(t: TensorInfo): Float32Array {
    return this.backend.data.get(t.dataId).values as Float32Array;
  }

  f32(address: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, address, length);
  }

  f64(address: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, address, length);
  }

  i32(address: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, address, length);
  }

  finish(): TensorInfo[] {
    const buffer = this.memory.buffer;
    const infos = this.outputs.map(({address, shape}) => {
      const values = new Float32Array(buffer.slice(address, address + util.sizeFromShape(shape) * 4));
      return this.backend.makeTensorInfo(shape, 'float32', values);
    });
    this.release();
    return infos;
  }

  abort(): void {
    this.release();
  }

  private release(): void {
    if (this.memory.buffer.byteLength > RETAINED_BYTES) {
      arena = null;
    }
  }
}

/**
 * Runs a kernel on the cpu path's module memory; null when its working set
 * does not fit there (the caller then runs the JavaScript kernel).
 */
export function runOnCpuSimd<T>(backend: MathBackendCPU, body: (call: SimdCall) => T): T|null {
  const call = new CpuCall(backend);
  try {
    const result = body(call);
    calls++;
    return result;
  } catch (e) {
    call.abort();
    if (e instanceof ModuleMemoryExhausted) {
      return null;
    }
    throw e;
  }
}
