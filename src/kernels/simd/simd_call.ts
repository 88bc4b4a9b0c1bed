// SPDX-License-Identifier: Apache-2.0
/**
 * One kernel call on the SIMD module, the same for every backend: a kernel
 * asks for the address of each input, allocates its outputs and scratch, calls
 * the module, and finishes. The cpu backend copies inputs into the module's
 * own memory and outputs out of it (cpu tensors are JavaScript arrays); the
 * wasm backend works in place on tfjs-wasm's heap.
 */
import {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import {SimdExports} from './simd_exports';

export interface SimdCall {
  readonly k: SimdExports;
  /** Address of a float32 tensor's values. */
  input(t: TensorInfo): number;
  /** A new float32 output of `shape`; its address. finish() returns outputs in this order. */
  output(shape: number[]): number;
  /** `bytes` of scratch, 16-byte aligned, released by finish(). */
  scratch(bytes: number): number;
  /** A float32 tensor's values (a view on wasm: valid until the next allocation). */
  read(t: TensorInfo): Float32Array;
  /** A view of float32 values at an address; valid until the next allocation. */
  f32(address: number, length: number): Float32Array;
  /** A view of float64 values at an address; valid until the next allocation. */
  f64(address: number, length: number): Float64Array;
  /** A view of int32 values at an address; valid until the next allocation. */
  i32(address: number, length: number): Int32Array;
  finish(): TensorInfo[];
  /** Releases everything (an error path). */
  abort(): void;
}

/** Runs body on a call, releasing the call's memory if it throws. */
export function runSimd<T>(call: SimdCall, body: (call: SimdCall) => T): T {
  try {
    return body(call);
  } catch (e) {
    call.abort();
    throw e;
  }
}

/** A kernel's inputs by name (the ops pass every required one; optional ones may be absent). */
export type SimdInputs = Record<string, TensorInfo>;

/** A kernel written once for every backend. */
export type SimdKernel = (call: SimdCall, inputs: SimdInputs, attrs: NamedAttrMap) =>
    TensorInfo|TensorInfo[];

export function align16(n: number): number {
  return (n + 15) & ~15;
}
