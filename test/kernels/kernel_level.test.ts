// SPDX-License-Identifier: Apache-2.0
/**
 * The kernel-level API (tfjs-mindspore-norm/base and the per-backend
 * entries), in tfjs engines that start empty: this file imports base only
 * (jest gives each test file its own globals, so its own tfjs registries),
 * and the entry tests import one entry each in a child Node process. Only
 * the configs a test registers itself are in tfjs's registry here, so a
 * kernel that runs here runs from base's lists alone.
 */
import {execFileSync} from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

import * as base from '../../src/base';
import {batchNormRef, centralDiff, expectClose, groupNormRef, instanceNormRef, KERNEL_NAMES, l2NormalizeRef, layerNormRef, lrnRef, randomValues, rmsNormRef, rng, sizeOf} from '../test_util';
import {KERNEL_EXAMPLES} from './kernel_examples';

const ROOT = path.join(__dirname, '..', '..');
const MY_BACKEND = 'my-cpu';
const BACKENDS = ['cpu', 'webgl', 'wasm', 'webgpu', MY_BACKEND];

type Values = Record<string, Float32Array>;
type Ref = (v: Values, attrs: Record<string, unknown>) => ArrayLike<number>;

/** float64 references of the forward kernels' first output, from test_util. */
const FORWARD_REFS: Record<string, Ref> = {
  MsL2Normalize: (v, a) => l2NormalizeRef(v.x, [2, 3], a.axis as number[], a.epsilon as number),
  MsLRN: v => lrnRef(v.x, [1, 4, 2, 2], 1, 1, 1, 0.5),
  MsGroupNorm: v => groupNormRef(v.x, [2, 4, 3], 2, v.gamma, v.beta, 1e-5),
  MsBatchNormTraining: v => batchNormRef(v.x, [2, 3, 4], {
    axis: 1, training: true, runningMean: v.runningMean, runningVar: v.runningVar,
    gamma: v.gamma, beta: v.beta, eps: 1e-5,
  }),
  MsBatchNormInference: v => batchNormRef(v.x, [2, 3, 4], {
    axis: 1, training: false, runningMean: v.runningMean, runningVar: v.runningVar,
    gamma: v.gamma, beta: v.beta, eps: 1e-5,
  }),
  MsLayerNorm: v => layerNormRef(v.x, [2, 3, 4], 1, 1, v.gamma, v.beta, 1e-7).y,
  MsInstanceNorm: v => instanceNormRef(v.x, [2, 3, 4], v.gamma, v.beta, 1e-5),
  MsRMSNorm: v => rmsNormRef(v.x, v.gamma, 1e-6).y,
};

/** The documented example's inputs, filled with seeded values in [0.5, 2]. */
function exampleValues(name: string): Values {
  const next = rng(name.length * 7919);
  return Object.fromEntries(Object.entries(KERNEL_EXAMPLES[name].inputs)
      .map(([k, shape]) => [k, randomValues(sizeOf(shape), next, 0.5, 2)]));
}

function runExample(name: string, values: Values): Float32Array[] {
  const {inputs, attrs} = KERNEL_EXAMPLES[name];
  return tf.tidy(() => {
    const tensors = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, tf.tensor(v, inputs[k])]));
    const out = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap);
    const outputs = Array.isArray(out) ? out : [out];
    expect(outputs.map(t => t.shape)).toEqual(KERNEL_EXAMPLES[name].outputShapes);
    expect(outputs.map(t => t.dtype)).toEqual(outputs.map(() => 'float32'));
    return outputs.map(t => t.dataSync() as Float32Array);
  });
}

function msKernels(core: typeof tf, backend: string): string[] {
  return core.getKernelsForBackend(backend).map(k => k.kernelName).filter(n => n.startsWith('Ms'));
}

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
  // A backend of the test's own: tfjs's CPU kernels under another name, none of the package's.
  tf.registerBackend(MY_BACKEND, () => new MathBackendCPU(), -1);
  for (const config of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({...config, backendName: MY_BACKEND});
  }
});

describe('tfjs-mindspore-norm/base', () => {
  it('registers no kernel and no gradient', () => {
    for (const backend of BACKENDS) {
      expect({backend, kernels: msKernels(tf, backend)}).toEqual({backend, kernels: []});
    }
    expect(KERNEL_NAMES.filter(n => tf.getGradient(n) != null)).toEqual([]);
  });

  it('exports one config per kernel for cpu and webgl, the fallback for any backend name, and ' +
         'a gradient per forward kernel',
     () => {
       const names = (list: tf.KernelConfig[]) => list.map(c => c.kernelName).sort();
       expect(names(base.cpuKernelConfigs)).toEqual([...KERNEL_NAMES].sort());
       expect(names(base.webglKernelConfigs)).toEqual([...KERNEL_NAMES].sort());
       expect(base.cpuKernelConfigs.every(c => c.backendName === 'cpu')).toBe(true);
       expect(base.webglKernelConfigs.every(c => c.backendName === 'webgl')).toBe(true);
       const fallback = base.fallbackKernelConfigs('anything');
       expect(names(fallback)).toEqual([...KERNEL_NAMES].sort());
       expect(fallback.every(c => c.backendName === 'anything')).toBe(true);
       expect(base.gradConfigs.map(c => c.kernelName).sort())
           .toEqual(KERNEL_NAMES.filter(n => !n.endsWith('Grad')).sort());
     });

  it('registerConfigs rejects what is not a config list, naming itself and what it got', () => {
    expect(() => base.registerConfigs({} as unknown as tf.KernelConfig[]))
        .toThrow(/registerConfigs: every argument must be an array .* but got object/);
    expect(() => base.registerConfigs([{kernelName: 'MsX'} as unknown as tf.KernelConfig]))
        .toThrow(/registerConfigs: each config must have a kernelFunc .* but got \{"kernelName":"MsX"\}/);
  });
});

describe('the cpu configs alone, registered from base', () => {
  beforeAll(() => {
    expect(base.registerConfigs(base.cpuKernelConfigs)).toBe(KERNEL_NAMES.length);
  });

  it('registerConfigs a second time registers nothing (and tfjs does not warn)', () => {
    const warn = jest.spyOn(console, 'warn');
    tf.env().set('IS_TEST', false);
    try {
      expect(base.registerConfigs(base.cpuKernelConfigs)).toBe(0);
    } finally {
      tf.env().set('IS_TEST', true);
    }
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  for (const name of Object.keys(KERNEL_EXAMPLES)) {
    it(`${name} runs through runKernel with its documented inputs and attributes` +
           (FORWARD_REFS[name] ? ', matching a float64 reference' : ''),
       () => {
         const values = exampleValues(name);
         const outputs = runExample(name, values);
         if (FORWARD_REFS[name]) {
           expectClose(outputs[0], FORWARD_REFS[name](values, KERNEL_EXAMPLES[name].attrs), 1e-5,
                       1e-5);
         }
       });
  }
});

describe(`the cpu configs on a backend of the test's own ('${MY_BACKEND}')`, () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('run there, as on cpu, once registered under its name (not before)', async () => {
    expect(await tf.setBackend(MY_BACKEND)).toBe(true);
    expect(() => runExample('MsL2Normalize', exampleValues('MsL2Normalize')))
        .toThrow(`'MsL2Normalize' not registered for backend '${MY_BACKEND}'`);
    base.registerConfigs(base.cpuKernelConfigs.map(c => ({...c, backendName: MY_BACKEND})));
    expect(msKernels(tf, MY_BACKEND).sort()).toEqual([...KERNEL_NAMES].sort());
    for (const name of Object.keys(KERNEL_EXAMPLES)) {
      const values = exampleValues(name);
      await tf.setBackend(MY_BACKEND);
      const mine = runExample(name, values);
      await tf.setBackend('cpu');
      const cpu = runExample(name, values);
      expect({name, outputs: mine}).toEqual({name, outputs: cpu});
    }
  });
});

/** Each forward kernel as a function of x alone (the other inputs fixed), as runKernel calls it. */
function forwardOfX(name: string, values: Values): (x: tf.Tensor) => tf.Tensor {
  const {inputs, attrs} = KERNEL_EXAMPLES[name];
  return (x: tf.Tensor) => {
    const rest = Object.fromEntries(Object.entries(values)
        .filter(([k]) => k !== 'x').map(([k, v]) => [k, tf.tensor(v, inputs[k])]));
    const out = tf.engine().runKernel(name, {...rest, x}, attrs as tf.NamedAttrMap);
    return Array.isArray(out) ? out[0] : out;
  };
}

describe('gradients, with only base\'s cpu configs and gradConfigs registered', () => {
  beforeAll(() => {
    expect(base.registerConfigs(base.gradConfigs)).toBe(base.gradConfigs.length);
  });

  for (const name of Object.keys(FORWARD_REFS)) {
    it(`d/dx of ${name} matches float64 central differences of its reference`, () => {
      const values = exampleValues(name);
      const shape = KERNEL_EXAMPLES[name].inputs.x;
      const dy = randomValues(sizeOf(shape), rng(3), -1, 1);
      const dx = tf.tidy(() => {
        const f = forwardOfX(name, values);
        const loss = (x: tf.Tensor) => tf.sum(tf.mul(f(x), tf.tensor(dy, shape)));
        return tf.grad(loss)(tf.tensor(values.x, shape)).dataSync();
      });
      const ref = (x: Float64Array) =>
          FORWARD_REFS[name]({...values, x: x as unknown as Float32Array}, KERNEL_EXAMPLES[name].attrs);
      expectClose(dx, centralDiff(ref, values.x, dy), 1e-4, 1e-3);
    });
  }
});

describe('the per-backend entries, each in a fresh tfjs (a child Node process)', () => {
  let scratch: string;
  beforeAll(() => {
    // Inside the repo's node_modules, so the bundles resolve tfjs there.
    scratch = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.ms-norm-entries-'));
  });
  afterAll(() => fs.rmSync(scratch, {recursive: true, force: true}));

  /**
   * What an entry registers when a process imports only it. A child process,
   * since tfjs keeps its registries on the global object (two module
   * instances of tfjs-core in one realm share them).
   */
  function registeredBy(entry: string): {kernels: Record<string, string[]>, gradients: string[]} {
    // The entry's sources bundled for Node (tfjs external), which starts much faster than ts-node.
    const bundle = path.join(scratch, `${entry}.js`);
    esbuild.buildSync({
      entryPoints: [path.join(ROOT, 'src', `${entry}.ts`)], bundle: true, platform: 'node',
      format: 'cjs', external: ['@tensorflow/*'], outfile: bundle, logLevel: 'error',
    });
    const script = `
      const tf = require('@tensorflow/tfjs-core');
      require(${JSON.stringify(bundle)});
      const names = ${JSON.stringify(KERNEL_NAMES)};
      const ms = b => tf.getKernelsForBackend(b).map(k => k.kernelName).filter(n => n.startsWith('Ms')).sort();
      console.log(JSON.stringify({
        kernels: Object.fromEntries(${JSON.stringify(BACKENDS)}.map(b => [b, ms(b)])),
        gradients: names.filter(n => tf.getGradient(n) != null).sort(),
      }));`;
    const out = execFileSync(process.execPath, ['-e', script], {cwd: ROOT, encoding: 'utf8'});
    return JSON.parse(out.trim().split('\n').pop()!);
  }
  const all = [...KERNEL_NAMES].sort();
  const forward = KERNEL_NAMES.filter(n => !n.endsWith('Grad')).sort();
  const none = Object.fromEntries(BACKENDS.map(b => [b, []]));

  it('base registers nothing', () => {
    expect(registeredBy('base')).toEqual({kernels: none, gradients: []});
  });

  it('cpu registers the cpu kernels and the gradients, nothing for other backends', () => {
    expect(registeredBy('cpu')).toEqual({kernels: {...none, cpu: all}, gradients: forward});
  });

  it('webgl registers the webgl kernels and the gradients, nothing for other backends', () => {
    expect(registeredBy('webgl')).toEqual({kernels: {...none, webgl: all}, gradients: forward});
  });

  for (const [entry, list] of [['wasm', base.wasmKernelConfigs], ['webgpu', base.webgpuKernelConfigs]] as const) {
    it(`${entry} registers the ${entry} kernels and the gradients, nothing for other backends`, () => {
      const own = list.map(c => c.kernelName).sort();
      expect(own.length).toBeGreaterThan(0);
      expect(registeredBy(entry)).toEqual({kernels: {...none, [entry]: own}, gradients: forward});
    });
  }

  it('the main entry registers every backend\'s kernels (wasm through the fallback) and the ' +
         'gradients',
     () => {
       const {kernels, gradients} = registeredBy('index');
       expect({cpu: kernels.cpu, webgl: kernels.webgl, wasm: kernels.wasm})
           .toEqual({cpu: all, webgl: all, wasm: all});
       expect(gradients).toEqual(forward);
     });
});
