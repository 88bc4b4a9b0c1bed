// SPDX-License-Identifier: Apache-2.0
/**
 * Fallback kernels: the package's kernels composed of tf ops, for backends
 * with no native kernel of ours (wasm, webgpu, ...). The ops run on the
 * kernel's own backend; only the outputs survive the call.
 */
import {cast, engine, fill, KernelBackend, KernelConfig, KernelFunc, mean, NamedAttrMap, NamedTensorInfoMap, sum, Tensor, TensorInfo, tidy, zeros} from '@tensorflow/tfjs-core';

/** Inputs as tensors (absent optional inputs stay absent). */
export type TensorInputs = {[name: string]: Tensor|undefined};

/** A kernel written with tf ops: tensors in, tensors out. */
export type ComposedKernel = (inputs: TensorInputs, attrs: NamedAttrMap) => Tensor|Tensor[];

/** Builds the per-backend KernelConfig of a composed kernel. */
export function fallbackKernel(
    kernelName: string, compute: ComposedKernel): (backendName: string) => KernelConfig {
  const kernelFunc: KernelFunc = ({inputs, backend: kernelBackend, attrs}) => {
    const backend = kernelBackend as KernelBackend;
    const result = tidy(() => {
      const tensors: TensorInputs = {};
      for (const [name, info] of Object.entries(inputs as NamedTensorInfoMap)) {
        if (info != null) {
          tensors[name] = wrap(info, backend);
        }
      }
      const out = compute(tensors, attrs ?? {});
      return (Array.isArray(out) ? out : [out])
          .map(t => t.dtype === 'float32' ? t : cast(t, 'float32'));
    });
    // Hand each output's data over to the engine: it wraps the returned
    // TensorInfo in a tensor of its own, so our tensor must let go of the data
    // without freeing it.
    const infos = result.map(t => {
      backend.incRef(t.dataId);
      return {dataId: t.dataId, shape: t.shape, dtype: t.dtype} as TensorInfo;
    });
    result.forEach(t => t.dispose());
    return infos.length === 1 ? infos[0] : infos;
  };
  return backendName => ({kernelName, backendName, kernelFunc});
}

/**
 * A tensor over a kernel input's data, holding its own reference to it, so
 * disposing the tensor leaves the input alone.
 */
function wrap(info: TensorInfo, backend: KernelBackend): Tensor {
  backend.incRef(info.dataId);
  return engine().makeTensorFromTensorInfo(info, backend);
}

/** [start, start + 1, ..., end - 1] */
export function range(start: number, end: number): number[] {
  return Array.from({length: Math.max(end - start, 0)}, (_, i) => start + i);
}

/** The shape of x reduced over axes (kept as size-1 dims when keepDims). */
function reducedShape(shape: number[], axes: number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) :
                    shape.filter((_, i) => !axes.includes(i));
}

function toAxes(axis: number|number[]): number[] {
  return Array.isArray(axis) ? axis : [axis];
}

// tfjs's wasm backend returns uninitialized memory for a sum over an empty
// tensor; the sum of nothing is 0 and its mean NaN on every backend.
export function emptySafeSum(x: Tensor, axis: number|number[], keepDims = false): Tensor {
  return x.size === 0 ? zeros(reducedShape(x.shape, toAxes(axis), keepDims)) : sum(x, axis, keepDims);
}

export function emptySafeMean(x: Tensor, axis: number|number[], keepDims = false): Tensor {
  return x.size === 0 ? fill(reducedShape(x.shape, toAxes(axis), keepDims), NaN) :
                        mean(x, axis, keepDims);
}
