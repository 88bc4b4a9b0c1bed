// SPDX-License-Identifier: Apache-2.0
/**
 * Selects a tfjs backend in a test or benchmark page and reports what it runs
 * on. On webgl and webgpu, tfjs's forwarding of small tensors to the CPU is
 * turned off, so every kernel runs its shader.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface BackendInfo {
  backend: string;
  /** tfjs's WEBGL_VERSION on webgl, else 0. */
  webglVersion: number;
  renderFloat32: boolean;
  /** The GPU (or software renderer) behind webgl; the adapter's vendor and architecture on webgpu; else ''. */
  renderer: string;
}

export async function selectBackend(name: string): Promise<BackendInfo> {
  if (tf.getBackend() !== name) {
    await tf.setBackend(name);
  }
  await tf.ready();
  const webgl = name === 'webgl' && tf.getBackend() === 'webgl';
  let renderer = '';
  if (webgl) {
    tf.env().set('WEBGL_CPU_FORWARD', false);
    const gl = (tf.backend() as unknown as {gpgpu?: {gl: WebGL2RenderingContext}}).gpgpu?.gl;
    if (gl != null) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      renderer = String(gl.getParameter(ext != null ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    }
  }
  if (name === 'webgpu' && tf.getBackend() === 'webgpu') {
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    const info = (tf.backend() as unknown as {adapterInfo?: Record<string, string>}).adapterInfo;
    renderer = `${info?.vendor ?? '?'} ${info?.architecture ?? '?'}`;
  }
  return {
    backend: tf.getBackend(),
    webglVersion: webgl ? tf.env().getNumber('WEBGL_VERSION') : 0,
    renderFloat32: webgl && tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
    renderer,
  };
}
