// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {KernelConfig, TensorInfo, util} from '@tensorflow/tfjs-core';

import {GpuKernelArgs, gpuKernelConfig} from '../gpu_util/kernel_config';

/**
 * The same data under another row-major shape of equal size. The programs
 * here read and write unpacked textures, whose layout is flat row-major, so a
 * view costs nothing; for a packed input, runWebGLProgram notices that the
 * texture's shape differs and repacks it first (as tfjs's own Reshape does).
 * A view does not own its data: never dispose it separately.
 */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return {dataId: t.dataId, shape, dtype: t.dtype};
}

/** A float32 tensor of `shape` holding `value` (the results of kernels on empty inputs). */
export function filled(backend: MathBackendWebGL, shape: number[], value = 0): TensorInfo {
  return backend.makeTensorInfo(
      shape, 'float32', new Float32Array(util.sizeFromShape(shape)).fill(value));
}

/** Releases intermediate results of a kernel. */
export function disposeAll(backend: MathBackendWebGL, infos: TensorInfo[]): void {
  for (const info of infos) {
    backend.disposeIntermediateTensorInfo(info);
  }
}

/**
 * t viewed as `shape`, in an unpacked texture. The programs here read
 * unpacked data, and runWebGLProgram unpacks a packed input anew in every
 * pass that reads it, so kernels unpack their big inputs once up front. The
 * unpacked copy, if one was made, is pushed to `temps` for the caller to
 * dispose.
 */
export function unpackedView(
    backend: MathBackendWebGL, t: TensorInfo, shape: number[], temps: TensorInfo[]): TensorInfo {
  if (!backend.texData.get(t.dataId).isPacked) {
    return view(t, shape);
  }
  // Unpacking in t's own shape avoids a packed reshape pass first (a view of
  // a packed texture is free only for a few shapes); tfjs handles rank <= 6.
  const unpacked = backend.unpackTensor(t.shape.length <= 6 ? t : view(t, shape));
  temps.push(unpacked);
  return view(unpacked, shape);
}

/** A WebGL kernel's arguments, typed by the kernel's inputs and attributes. */
export type WebGLKernelArgs<I, A> = GpuKernelArgs<MathBackendWebGL, I, A>;

export function webglKernelConfig(kernelName: string, kernelFunc: unknown): KernelConfig {
  return gpuKernelConfig('webgl', kernelName, kernelFunc);
}
