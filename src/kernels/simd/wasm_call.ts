// SPDX-License-Identifier: Apache-2.0
/**
 * SIMD calls for tfjs's wasm backend, in place: the module is instantiated on
 * the backend's own WebAssembly.Memory (one instance per backend), reads the
 * inputs where the backend keeps them and writes outputs the backend
 * allocated (makeOutput), so no tensor is copied. Scratch comes from the
 * backend's malloc and is freed when the call finishes. Only addresses are
 * kept across allocations: a malloc may grow (and so replace) the heap's
 * ArrayBuffer, never move what it holds.
 */
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {align16, SimdCall} from './simd_call';
import {SimdExports} from './simd_exports';
import {instantiate} from './simd_module';

/** The parts of tfjs-wasm's BackendWasm used here (its class is not a dependency of the ops). */
export interface WasmBackendLike {
  wasm: {
    asm?: {memory?: WebAssembly.Memory},
    _malloc(bytes: number): number,
    _free(address: number): void,
  };
  dataIdMap: {get(dataId: object): {memoryOffset: number}|undefined};
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

const instances = new WeakMap<object, SimdExports|null>();
let calls = 0;

/** Kernel calls the wasm backend has run on the module so far. */
export function wasmSimdCallCount(): number {
  return calls;
}

/** The backend's heap memory, or null when its loader does not expose it. */
export function wasmHeap(backend: WasmBackendLike): WebAssembly.Memory|null {
  const memory = backend.wasm.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** The module instantiated on this backend's heap; null when the heap cannot be reached. */
export function wasmExports(backend: WasmBackendLike): SimdExports|null {
  if (!instances.has(backend)) {
    const memory = wasmHeap(backend);
    instances.set(backend, memory == null ? null : instantiate(memory));
  }
  return instances.get(backend)!;
}

class WasmCall implements SimdCall {
  private readonly outputs: TensorInfo[] = [];
  private readonly scratches: number[] = [];

  constructor(private readonly backend: WasmBackendLike, readonly k: SimdExports) {}

  input(t: TensorInfo): number {
    return this.backend.dataIdMap.get(t.dataId)!.memoryOffset;
  }

  output(shape: number[]): number {
    const info = this.backend.makeOutput(shape, 'float32');
    this.outputs.push(info);
    return this.input(info);
  }

  scratch(bytes: number): number {
    const address = this.backend.wasm._malloc(bytes + 16);
    this.scratches.push(address);
    return align16(address);
  }

  private buffer(): ArrayBuffer {
    return wasmHeap(this.backend)!.buffer;
  }

  read(t: TensorInfo): Float32Array {
    return this.f32(this.input(t), util.sizeFromShape(t.shape));
  }

  f32(address: number, length: number): Float32Array {
    return new Float32Array(this.buffer(), address, length);
  }

  f64(address: number, length: number): Float64Array {
    return new Float64Array(this.buffer(), address, length);
  }

  i32(address: number, length: number): Int32Array {
    return new Int32Array(this.buffer(), address, length);
  }

  finish(): TensorInfo[] {
    this.freeScratch();
    calls++;
    return this.outputs;
  }

  abort(): void {
    this.freeScratch();
    for (const info of this.outputs) {
      this.backend.disposeData(info.dataId, true);
    }
  }

  private freeScratch(): void {
    for (const address of this.scratches) {
      this.backend.wasm._free(address);
    }
    this.scratches.length = 0;
  }
}

/** A call on the backend's heap; null when the module cannot run there. */
export function wasmCall(backend: WasmBackendLike): SimdCall|null {
  const k = wasmExports(backend);
  return k == null ? null : new WasmCall(backend, k);
}
