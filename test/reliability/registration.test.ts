// SPDX-License-Identifier: Apache-2.0
/**
 * Registration: importing the package before any backend, importing a second
 * copy of it, calling registerAll() again and importing backends (webgl,
 * wasm) afterwards neither throws nor prints warnings, and the kernels run on
 * whichever backend is set later (cpu natively, wasm through the fallback
 * kernels).
 *
 * The order of the tests matters and is the point: this file imports no
 * backend and not the package at the top (jest gives each test file its own
 * globals, so tfjs's registries start empty here); the tests require them in
 * sequence. tfjs prints duplicate-registration warnings only when IS_TEST is
 * unset, so the warning checks unset it.
 */
import * as tf from '@tensorflow/tfjs-core';

type Package = typeof import('../../src');

// tfjs's own one-time notice when the CPU backend first runs in Node: not ours.
const NODE_BANNER = /running TensorFlow\.js in Node\.js/;

/** Runs fn with IS_TEST unset and returns what it printed through console.warn/error. */
async function printedBy(fn: () => unknown): Promise<string[]> {
  const printed: string[] = [];
  const record = (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  };
  const warn = jest.spyOn(console, 'warn').mockImplementation(record);
  const error = jest.spyOn(console, 'error').mockImplementation(record);
  tf.env().set('IS_TEST', false);
  try {
    await fn();
  } finally {
    tf.env().set('IS_TEST', true);
    warn.mockRestore();
    error.mockRestore();
  }
  return printed.filter(m => !NODE_BANNER.test(m));
}

/** The package's kernels and gradients as currently registered in tfjs. */
function registry(pkg: Package) {
  const names = Object.values(pkg as unknown as Record<string, unknown>)
                    .filter((v): v is string => typeof v === 'string' && /^Ms[A-Z]/.test(v));
  const kernels = new Map<string, tf.KernelConfig|undefined>();
  for (const name of names) {
    for (const backend of ['cpu', 'webgl', 'webgpu', 'wasm']) {
      kernels.set(`${name}/${backend}`, tf.getKernel(name, backend));
    }
  }
  const gradients = new Map(names.map(n => [n, tf.getGradient(n)] as const));
  return {names, kernels, gradients};
}

/** Hand-computed results, so a wrong kernel would show. */
function expectKernelsWork(pkg: Package): void {
  const close = (t: tf.Tensor, expected: number[]) =>
      Array.from(t.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  const y = pkg.l2Normalize([3, 4]);
  close(y, [0.6, 0.8]);
  const g = pkg.groupNorm([[[1, 3]]], 1, null, null, 1e-30);
  close(g, [-1, 1]);
  // d/dx of sum(l2Normalize(x)) at [3, 4]: (1 - y * (0.6 + 0.8)) / 5.
  const x = tf.tensor([3, 4]);
  const dx = tf.grad((t: tf.Tensor) => pkg.l2Normalize(t))(x);
  close(dx, [(1 - 0.6 * 1.4) / 5, (1 - 0.8 * 1.4) / 5]);
  tf.dispose([y, g, x, dx]);
}

let pkg: Package;

describe('registration', () => {
  it('the warning check sees tfjs\'s duplicate-registration warning (control)', async () => {
    const config: tf.KernelConfig =
        {kernelName: 'MsRegistrationControl', backendName: 'cpu', kernelFunc: () => []};
    tf.registerKernel(config);
    const printed = await printedBy(() => tf.registerKernel(config));
    expect(printed.join('\n')).toMatch(/'MsRegistrationControl' for backend 'cpu' is already registered/);
    tf.unregisterKernel('MsRegistrationControl', 'cpu');
  });

  it('importing the package before any backend registers every kernel and gradient, silently',
     async () => {
       expect(tf.engine().backendNames()).toEqual([]);
       const printed = await printedBy(() => {
         pkg = require('../../src') as Package;
       });
       expect(printed).toEqual([]);
       const {names, kernels, gradients} = registry(pkg);
       expect(names.length).toBeGreaterThanOrEqual(13);
       // Every forward kernel has a gradient (the backward kernels are what they call).
       const forward = names.filter(n => !n.endsWith('Grad'));
       for (const name of names) {
         const has = (backend: string) => kernels.get(`${name}/${backend}`) != null;
         // wasm gets the package's fallback kernels (composed of tf ops) at import.
         expect({name, cpu: has('cpu'), webgl: has('webgl'), webgpu: has('webgpu'), wasm: has('wasm')})
             .toEqual({name, cpu: true, webgl: true, webgpu: true, wasm: true});
       }
       for (const name of forward) {
         expect({name, gradient: gradients.get(name) != null}).toEqual({name, gradient: true});
       }
     });

  it('a CPU backend imported and set afterwards runs the kernels', async () => {
    const printed = await printedBy(async () => {
      require('@tensorflow/tfjs-backend-cpu');
      expect(await tf.setBackend('cpu')).toBe(true);
      expectKernelsWork(pkg);
    });
    expect(printed).toEqual([]);
  });

  it('calling registerAll() again keeps the registered configs and prints nothing', async () => {
    const before = registry(pkg);
    const printed = await printedBy(() => {
      pkg.registerAll();
      pkg.registerAll();
    });
    expect(printed).toEqual([]);
    const after = registry(pkg);
    for (const [key, config] of before.kernels) {
      expect(after.kernels.get(key)).toBe(config);
    }
    for (const [name, config] of before.gradients) {
      expect(after.gradients.get(name)).toBe(config);
    }
    expectKernelsWork(pkg);
  });

  it('a second copy of the package (fresh module registry, same tfjs) neither throws nor ' +
         'warns; the first registration stays and both copies work',
     async () => {
       const before = registry(pkg);
       const shared = {
         core: tf,
         cpu: require('@tensorflow/tfjs-backend-cpu'),
         layers: require('@tensorflow/tfjs-layers'),
       };
       let second: Package|undefined;
       const printed = await printedBy(() => {
         jest.isolateModules(() => {
           // As when two bundles or two installs of this package share the app's tfjs
           // (a peer dependency).
           jest.doMock('@tensorflow/tfjs-core', () => shared.core);
           jest.doMock('@tensorflow/tfjs-backend-cpu', () => shared.cpu);
           jest.doMock('@tensorflow/tfjs-layers', () => shared.layers);
           second = require('../../src') as Package;
         });
       });
       expect(printed).toEqual([]);
       expect(second).toBeDefined();
       expect(second!.l2Normalize).not.toBe(pkg.l2Normalize);
       const after = registry(pkg);
       for (const [key, config] of before.kernels) {
         expect(after.kernels.get(key)).toBe(config);
       }
       expectKernelsWork(pkg);
       expectKernelsWork(second!);
       // Layers of both copies build and run.
       const x = tf.tensor([[[1, 2], [3, 5]]]);
       for (const copy of [pkg, second!]) {
         const layer = copy.layers.groupNorm({numGroups: 1, numChannels: 2, eps: 1e-30});
         const y = layer.apply(x) as tf.Tensor;
         // mean 2.75, biased variance 2.1875
         const expected = [1, 2, 3, 5].map(v => (v - 2.75) / Math.sqrt(2.1875));
         Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
         tf.dispose([y]);
         layer.dispose();
       }
       x.dispose();
     });

  it('importing the WebGL backend after the package prints nothing and leaves the kernels ' +
         'of both backends registered',
     async () => {
       const before = registry(pkg);
       const printed = await printedBy(() => {
         // In Node it registers its kernels but no backend (there is no WebGL here).
         require('@tensorflow/tfjs-backend-webgl');
         pkg.registerAll();
       });
       expect(printed).toEqual([]);
       const after = registry(pkg);
       for (const [key, config] of before.kernels) {
         expect(after.kernels.get(key)).toBe(config);
       }
       expect(after.kernels.get('MsL2Normalize/webgl')).toBeDefined();
       expect(await tf.setBackend('cpu')).toBe(true);
       expectKernelsWork(pkg);
     });

  it('the wasm backend imported and set after the package runs its fallback kernels, silently',
     async () => {
       const before = registry(pkg);
       const printed = await printedBy(async () => {
         require('@tensorflow/tfjs-backend-wasm');
         pkg.registerAll();
         expect(await tf.setBackend('wasm')).toBe(true);
         expectKernelsWork(pkg);
       });
       expect(printed).toEqual([]);
       const after = registry(pkg);
       for (const [key, config] of before.kernels) {
         expect(after.kernels.get(key)).toBe(config);
       }
       expect(await tf.setBackend('cpu')).toBe(true);
       expectKernelsWork(pkg);
     });

  it('on a backend registered after the import under a new name, ops and gradients work with ' +
         'no call (the fallback kernels are registered on first use), silently',
     async () => {
       // A custom backend: a CPU backend instance with tfjs's own kernels under a new
       // name, and nothing of the package registered for it.
       const {MathBackendCPU} = require('@tensorflow/tfjs-backend-cpu');
       tf.registerBackend('cpu-other', () => new MathBackendCPU());
       for (const config of tf.getKernelsForBackend('cpu')) {
         if (!/^Ms[A-Z]/.test(config.kernelName)) {
           tf.registerKernel({...config, backendName: 'cpu-other'});
         }
       }
       expect(tf.getKernel('MsL2Normalize', 'cpu-other')).toBeUndefined();
       const printed = await printedBy(async () => {
         expect(await tf.setBackend('cpu-other')).toBe(true);
         expectKernelsWork(pkg);
         expectKernelsWork(pkg);
       });
       expect(printed).toEqual([]);
       const fallback = tf.getKernel('MsL2Normalize', 'cpu-other');
       expect(fallback).toBeDefined();
       // The composed fallback, not the package's cpu kernel re-registered.
       expect(fallback!.kernelFunc).not.toBe(tf.getKernel('MsL2Normalize', 'cpu')!.kernelFunc);
       expect(tf.getKernel('MsL2NormalizeGrad', 'cpu-other')).toBeDefined();
       // Explicit registration (for kernel-level users) is still there and idempotent.
       const again = await printedBy(() => pkg.registerFallbackKernels('cpu-other'));
       expect(again).toEqual([]);
       expect(tf.getKernel('MsL2Normalize', 'cpu-other')).toBe(fallback);
       expect(await tf.setBackend('cpu')).toBe(true);
       tf.removeBackend('cpu-other');
       expectKernelsWork(pkg);
     });
});
