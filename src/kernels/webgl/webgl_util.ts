import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo} from '@tensorflow/tfjs-core';

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

/** Releases intermediate results of a kernel. */
export function disposeAll(backend: MathBackendWebGL, infos: TensorInfo[]): void {
  for (const info of infos) {
    backend.disposeIntermediateTensorInfo(info);
  }
}
