// SPDX-License-Identifier: Apache-2.0
/**
 * Picks the tfjs backend: the one asked for (?backend=webgpu|webgl|cpu), or
 * WebGPU where the browser has it, then WebGL, then CPU. tfjs fails quietly
 * (setBackend resolves false), so every fallback is recorded and shown.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {MsL2Normalize, registerFallbackKernels} from '../../src';

export const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BackendName = typeof BACKENDS[number];

export interface BackendChoice {
  requested: BackendName|'auto';
  backend: string;
  /** What runs it: the GPU or software renderer, when the browser says. */
  device: string;
  /** One line per backend that was tried and did not start. */
  fallbacks: string[];
  /** Whether this package's kernels are native to the backend or composed of tf ops. */
  kernels: 'native'|'composed of tf ops';
}

export function requestedBackend(search: string): BackendName|'auto' {
  const asked = new URLSearchParams(search).get('backend');
  return (BACKENDS as readonly string[]).includes(asked ?? '') ? asked as BackendName : 'auto';
}

export async function chooseBackend(requested: BackendName|'auto'): Promise<BackendChoice> {
  const order = requested === 'auto' ? [...BACKENDS] :
                                       BACKENDS.slice(BACKENDS.indexOf(requested));
  const fallbacks: string[] = [];
  for (const name of order) {
    const native = tf.getKernel(MsL2Normalize, name) != null;
    const why = await tryBackend(name);
    if (why == null) {
      const kernels = native ? 'native' : 'composed of tf ops';
      return {requested, backend: name, device: describeDevice(name), fallbacks, kernels};
    }
    fallbacks.push(`${name}: ${why}`);
  }
  throw new Error(`no tfjs backend started (${fallbacks.join('; ')})`);
}

async function tryBackend(name: BackendName): Promise<string|null> {
  if (name === 'webgpu') {
    const gpu = (navigator as unknown as {gpu?: {requestAdapter(): Promise<unknown>}}).gpu;
    if (gpu == null) {
      return 'this browser has no WebGPU (navigator.gpu is missing)';
    }
    if (await gpu.requestAdapter().catch(() => null) == null) {
      return 'WebGPU has no adapter here';
    }
    // Native WGSL kernels of the package register themselves when it has them;
    // otherwise its kernels composed of tf ops run (same formulas).
    registerFallbackKernels('webgpu');
  }
  try {
    if (!await tf.setBackend(name)) {
      return 'tfjs could not start it';
    }
    await tf.ready();
  } catch (e) {
    return String(e);
  }
  if (name === 'webgl') {
    // Small tensors would otherwise be computed on the CPU instead of by the shaders.
    tf.env().set('WEBGL_CPU_FORWARD', false);
  }
  return null;
}

function describeDevice(name: string): string {
  if (name === 'webgl') {
    const gl = (tf.backend() as unknown as {gpgpu?: {gl: WebGL2RenderingContext}}).gpgpu?.gl;
    if (gl != null) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const version = tf.env().getNumber('WEBGL_VERSION');
      return `WebGL ${version}, ` +
          String(gl.getParameter(ext != null ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    }
  }
  if (name === 'webgpu') {
    const info = (tf.backend() as unknown as {adapterInfo?: {vendor?: string, architecture?: string}})
                     .adapterInfo;
    return info != null ? `adapter ${[info.vendor, info.architecture].filter(s => s).join(' ')}` : '';
  }
  return name === 'cpu' ? 'JavaScript on the main thread' : '';
}
