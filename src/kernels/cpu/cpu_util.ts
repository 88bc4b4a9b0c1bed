import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

/** The backing typed array of a tensor on the CPU backend (ops guarantee float32). */
export function valuesOf(backend: MathBackendCPU, t: TensorInfo): TypedArray {
  return backend.data.get(t.dataId).values as TypedArray;
}

/** Product of shape[begin:end]. */
export function sizeOf(shape: number[], begin = 0, end = shape.length): number {
  let size = 1;
  for (let i = begin; i < end; i++) {
    size *= shape[i];
  }
  return size;
}
