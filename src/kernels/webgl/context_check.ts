// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {KernelConfig, KernelFunc} from '@tensorflow/tfjs-core';

/**
 * After the WebGL context is lost (WEBGL_lose_context, a GPU reset, too many
 * contexts), draws do nothing: reads return zeros and async reads never
 * resolve, tfjs's own kernels included. Our kernels check first and say so.
 */
export function assertContextLive(backend: MathBackendWebGL, kernelName: string): void {
  const gl = backend.gpgpu?.gl;
  if (gl != null && gl.isContextLost()) {
    throw new Error(
        `${kernelName} (webgl): the WebGL context must be live, but it was lost ` +
        `(gl.isContextLost() is true), so the kernel would return garbage. Create a new webgl ` +
        `backend (tf.removeBackend('webgl') then tf.setBackend('webgl')) or use another backend.`);
  }
}

/** The config with its kernel checking the context before it runs. */
export function withContextCheck(config: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = args => {
    assertContextLive(args.backend as MathBackendWebGL, config.kernelName);
    return config.kernelFunc(args);
  };
  return {...config, kernelFunc};
}
