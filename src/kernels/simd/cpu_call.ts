// SPDX-License-Identifier: Apache-2.0
/**
 * SIMD calls for the cpu backend. Its tensors are JavaScript typed arrays, so
 * inputs are copied into the module's own memory and outputs copied out.
 * Kernels whose samples are independent run in chunks of samples
 * (runChunked): each chunk is copied in, computed and copied out while it is
 * in cache, so memory traffic stays that of one pass, and the module's memory
 * stays small whatever the tensor's size.
 *
 * The module memory is bounded: it grows on demand up to MODULE_MEMORY_BYTES
 * and is kept (a WebAssembly memory cannot shrink). A call whose working set
 * does not fit (an unchunked kernel on a large tensor) runs the JavaScript
 * kernel instead.
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {TensorInfo, TypedArray, util} from '@tensorflow/tfjs-core';

import {align16, SimdCall} from './simd_call';
import {SimdExports} from './simd_exports';
import {instantiate} from './simd_module';

const PAGE = 65536;
/** The module memory's limit: 16M float32 values, e.g. batch norm on 5M-value tensors. */
export const MODULE_MEMORY_BYTES = 64 * 1024 * 1024;
/** Values per chunk of a chunked kernel: a chunk of x, dy and dx stays within L2. */
export const CHUNK_VALUES = 1 << 16;
/** First 16 bytes unused, so no buffer sits at address 0. */
const BASE = 16;

interface Arena {
  memory: WebAssembly.Memory;
  exports: SimdExports;
}

let arena: Arena|null = null;
let calls = 0;

function currentArena(): Arena {
  if (arena == null) {
    const memory = new WebAssembly.Memory({initial: 16, maximum: MODULE_MEMORY_BYTES / PAGE});
    arena = {memory, exports: instantiate(memory)};
  }
  return arena;
}

/** Kernel calls the cpu backend has run on the module so far. */
export function cpuSimdCallCount(): number {
  return calls;
}

/** Bytes the cpu path's module memory holds now (0 before its first call). */
export function cpuSimdMemoryBytes(): number {
  return arena == null ? 0 : arena.memory.buffer.byteLength;
}

/** A call's working set exceeds the module memory: use the JavaScript kernel. */
class ModuleMemoryExhausted extends Error {}

/** Where a call's outputs go: new cpu tensors, or (chunks) a caller's arrays. */
type OutputSink = (index: number, values: Float32Array, shape: number[]) => void;

export class CpuCall implements SimdCall {
  readonly k: SimdExports;
  private readonly memory: WebAssembly.Memory;
  private top = BASE;
  private readonly outputs: Array<{address: number, shape: number[]}> = [];

  constructor(
      private readonly backend: MathBackendCPU,
      /** Values of chunk inputs (sub-tensors that the backend does not hold). */
      private readonly chunkValues: Map<TensorInfo, TypedArray>|null = null,
      private readonly sink: OutputSink|null = null) {
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

  read(t: TensorInfo): Float32Array {
    return (this.chunkValues?.get(t) ?? this.backend.data.get(t.dataId).values) as Float32Array;
  }

  input(t: TensorInfo): number {
    return this.copyIn(this.read(t));
  }

  /** Copies float32 values into the module's memory; their address. */
  copyIn(values: TypedArray): number {
    const address = this.alloc(values.length * 4);
    new Float32Array(this.memory.buffer, address, values.length).set(values);
    return address;
  }

  /** The allocation point, to rewind() to: chunk buffers reuse the memory after it. */
  mark(): number {
    return this.top;
  }

  rewind(mark: number): void {
    this.top = mark;
  }

  output(shape: number[]): number {
    const address = this.alloc(util.sizeFromShape(shape) * 4);
    this.outputs.push({address, shape});
    return address;
  }

  scratch(bytes: number): number {
    return this.alloc(bytes);
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
    return this.outputs.map(({address, shape}, k) => {
      const view = this.f32(address, util.sizeFromShape(shape));
      if (this.sink != null) {
        this.sink(k, view, shape);
        return {dataId: {}, shape, dtype: 'float32'};
      }
      return this.backend.makeTensorInfo(shape, 'float32', view.slice());
    });
  }

  abort(): void {}
}

/** Runs body, mapping an exhausted module memory to null (the JavaScript kernel's turn). */
function attempt<T>(body: () => T): T|null {
  try {
    const result = body();
    calls++;
    return result;
  } catch (e) {
    if (e instanceof ModuleMemoryExhausted) {
      return null;
    }
    throw e;
  }
}

/** Runs a kernel on the whole tensors; null when its working set does not fit. */
export function runOnCpuSimd<T>(backend: MathBackendCPU, body: (call: CpuCall) => T): T|null {
  return attempt(() => body(new CpuCall(backend)));
}

/** How a kernel's independent samples (axis 0) split into chunks. */
export interface SampleSplit {
  /**
   * The inputs with a sample axis 0 (the first one sets the batch); the others
   * go whole to every chunk.
   */
  inputs: string[];
  /** Per output: 'concat' along axis 0, or 'sum' over chunks (per-channel parameter gradients). */
  outputs: Array<'concat'|'sum'>;
}

/**
 * Runs a kernel chunk by chunk of samples, writing each chunk's outputs into
 * the final arrays; null when a chunk does not fit the module memory.
 */
export function runChunked(
    backend: MathBackendCPU, inputs: Record<string, TensorInfo>, split: SampleSplit,
    body: (call: SimdCall, inputs: Record<string, TensorInfo>) => unknown): TensorInfo[]|null {
  const batch = inputs[split.inputs[0]].shape[0];
  const sampleSize = (t: TensorInfo) => util.sizeFromShape(t.shape.slice(1));
  const perSample = Math.max(1, sampleSize(inputs[split.inputs[0]]));
  const perChunk = Math.max(1, Math.floor(CHUNK_VALUES / perSample));
  const finals: Array<{shape: number[], values: Float32Array|Float64Array}> = [];
  return attempt(() => {
    for (let b0 = 0; b0 < batch; b0 += perChunk) {
      const n = Math.min(perChunk, batch - b0);
      const chunkValues = new Map<TensorInfo, TypedArray>();
      const chunkInputs: Record<string, TensorInfo> = {...inputs};
      for (const name of split.inputs) {
        const t = inputs[name];
        if (t == null) {
          continue;
        }
        const size = sampleSize(t);
        const chunk: TensorInfo = {dataId: {}, shape: [n, ...t.shape.slice(1)], dtype: t.dtype};
        const all = backend.data.get(t.dataId).values as TypedArray;
        chunkValues.set(chunk, all.subarray(b0 * size, (b0 + n) * size));
        chunkInputs[name] = chunk;
      }
      body(new CpuCall(backend, chunkValues, (k, view, shape) => {
        const concat = split.outputs[k] === 'concat';
        if (finals[k] == null) {
          const finalShape = concat ? [batch, ...shape.slice(1)] : shape;
          finals[k] = {shape: finalShape,
                       values: concat ? new Float32Array(util.sizeFromShape(finalShape)) :
                                        new Float64Array(view.length)};
        }
        const {values} = finals[k];
        if (concat) {
          values.set(view, b0 * (view.length / n));
        } else {
          for (let i = 0; i < view.length; i++) {
            values[i] += view[i];
          }
        }
      }), chunkInputs);
    }
    return finals.map(({shape, values}) => {
      const float32 = values instanceof Float32Array ? values : Float32Array.from(values);
      return backend.makeTensorInfo(shape, 'float32', float32);
    });
  });
}
