// SPDX-License-Identifier: Apache-2.0
/**
 * Every backend the shared specs run on. Adding a backend to the whole suite
 * is one entry here (for a browser backend, plus its import in
 * page_entry.ts; for a Node backend, in node_backends.ts).
 *
 * MS_TEST_BACKENDS=cpu,webgl (ids, comma-separated) runs a subset while
 * iterating; npm test runs them all.
 */
export interface TestBackend {
  /** Shown in test titles: `MsLayerNorm [webgl] ...`. */
  id: string;
  /** The tfjs backend name. */
  backend: string;
  where: 'node'|'browser';
  /** tfjs flags set around every run on this backend (e.g. a kernel path switch). */
  flags?: Record<string, number|boolean>;
  /**
   * How the backend's kernels accumulate: 'float64' (the cpu kernels: results
   * within ~1e-6 of float64) or 'float32' (composed tf ops, GPU programs).
   * Specs pick their tolerances from it.
   */
  accumulation: 'float64'|'float32';
}

/** The SIMD module's switch (src/kernels/simd/simd_module.ts's SIMD_FLAG). */
const SIMD_OFF = {MS_NORM_WASM_SIMD: false};

export const TEST_BACKENDS: TestBackend[] = [
  // cpu and wasm run the WebAssembly SIMD kernels (in Node and in Chromium);
  // with the flag off, cpu runs its JavaScript kernels.
  {id: 'cpu', backend: 'cpu', where: 'node', accumulation: 'float64'},
  {id: 'cpu-js', backend: 'cpu', where: 'node', flags: SIMD_OFF, accumulation: 'float64'},
  {id: 'wasm', backend: 'wasm', where: 'node', accumulation: 'float64'},
  // A CPU backend under its own name with only the fallback kernels (node_backends.ts).
  {id: 'fallback', backend: 'fallback', where: 'node', accumulation: 'float32'},
  {id: 'webgl', backend: 'webgl', where: 'browser', accumulation: 'float32'},
  {id: 'webgpu', backend: 'webgpu', where: 'browser', accumulation: 'float32'},
  {id: 'cpu-browser', backend: 'cpu', where: 'browser', accumulation: 'float64'},
  {id: 'wasm-browser', backend: 'wasm', where: 'browser', accumulation: 'float64'},
];

/** TEST_BACKENDS, less those MS_TEST_BACKENDS leaves out. */
export function selectedBackends(): TestBackend[] {
  const only = process.env.MS_TEST_BACKENDS;
  if (only == null || only === '') {
    return TEST_BACKENDS;
  }
  const ids = only.split(',').map(s => s.trim());
  const unknown = ids.filter(id => !TEST_BACKENDS.some(b => b.id === id));
  if (unknown.length > 0) {
    throw new Error(`MS_TEST_BACKENDS: unknown backend id(s) ${unknown.join(', ')} ` +
                    `(known: ${TEST_BACKENDS.map(b => b.id).join(', ')})`);
  }
  return TEST_BACKENDS.filter(b => ids.includes(b.id));
}

export function browserBackends(): TestBackend[] {
  return selectedBackends().filter(b => b.where === 'browser');
}

/** Whether a backend keeps tensors in GPU memory (tf.memory().numBytesInGPU). */
export function onGpu(b: TestBackend): boolean {
  return b.backend === 'webgl' || b.backend === 'webgpu';
}
