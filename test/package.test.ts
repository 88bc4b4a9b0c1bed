// SPDX-License-Identifier: Apache-2.0
/**
 * The built package, packed as npm would publish it and installed into a
 * scratch project outside the repo, works through both `require` and `import`,
 * from every entry; its types are right for both (attw, publint, a strict
 * consumer); a browser bundle of an op stays small; the ESM and the CJS copy
 * in one process cooperate.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
let scratch: string;
let tarball: string;
let pkgDir: string;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The subpaths of package.json's exports that are code ('.', './base', './cpu', ...). */
const ENTRIES = Object.keys(pkg.exports).filter(k => k !== './package.json');
const entryFile = (key: string) => (key === '.' ? 'index' : key.slice(2));
const specifier = (key: string) => `tfjs-mindspore-norm${key.slice(1)}`;
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(file: string): string {
  return execFileSync(process.execPath, [file], {cwd: scratch, encoding: 'utf8'});
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ms-norm-scratch-'));
  const tgz = execFileSync(
      'npm', ['pack', '--silent', '--pack-destination', scratch], {cwd: root, encoding: 'utf8'})
      .trim().split('\n').pop()!;
  tarball = path.join(scratch, tgz);
  const modules = path.join(scratch, 'node_modules');
  pkgDir = path.join(modules, 'tfjs-mindspore-norm');
  fs.mkdirSync(pkgDir, {recursive: true});
  execFileSync('tar', ['xzf', path.join(scratch, tgz), '-C', pkgDir, '--strip-components=1']);
  // The user's own tfjs install: the repo's copies of the peer dependencies.
  for (const dep of ['@tensorflow', 'protobufjs', 'long', '@protobufjs', 'seedrandom']) {
    const src = path.join(root, 'node_modules', dep);
    if (fs.existsSync(src)) {
      fs.symlinkSync(src, path.join(modules, dep));
    }
  }
  fs.writeFileSync(path.join(scratch, 'package.json'), '{"name": "scratch", "private": true}\n');
}, 120000);

afterAll(() => {
  fs.rmSync(scratch, {recursive: true, force: true});
});

const check = `
  const y = ms.l2Normalize(tf.tensor([3, 4])).dataSync();
  const g = tf.grad(x => ms.lrn(x, 1, 1, 1e-4, 0.75))(tf.ones([1, 2, 1, 1])).dataSync();
  console.log(JSON.stringify({y: Array.from(y), g: g.length, fns: typeof ms.lrn}));
`;

describe('published package', () => {
  it('ships, per entry, an ES module and a CommonJS module, each with its declarations', () => {
    expect(ENTRIES).toEqual(expect.arrayContaining(['.', './base', './cpu', './webgl']));
    for (const key of ENTRIES) {
      for (const format of ['esm', 'cjs']) {
        for (const ext of ['js', 'd.ts']) {
          const f = `dist/${format}/${entryFile(key)}.${ext}`;
          expect({f, exists: fs.existsSync(path.join(pkgDir, f))}).toEqual({f, exists: true});
        }
      }
    }
  });

  it('every entry can be required and imported', () => {
    const list = JSON.stringify(ENTRIES.map(specifier));
    fs.writeFileSync(path.join(scratch, 'entries.mjs'), `
      import {createRequire} from 'module';
      const require = createRequire(import.meta.url);
      for (const s of ${list}) {
        const esm = await import(s);
        const cjs = require(s);
        if (typeof esm.l2Normalize !== 'function' || typeof cjs.l2Normalize !== 'function' ||
            !Array.isArray(esm.cpuKernelConfigs) || typeof cjs.registerConfigs !== 'function') {
          throw new Error(s + ' lacks exports');
        }
      }
      console.log('ok');`);
    expect(run('entries.mjs').trim()).toBe('ok');
  });

  it('can be required (CommonJS) and its kernels run', () => {
    fs.writeFileSync(path.join(scratch, 'main.cjs'), `
      const tf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
      const ms = require('tfjs-mindspore-norm');
      ${check}`);
    const out = JSON.parse(run('main.cjs'));
    expect(out.y[0]).toBeCloseTo(0.6, 6);
    expect(out.y[1]).toBeCloseTo(0.8, 6);
    expect(out.g).toBe(2);
    expect(out.fns).toBe('function');
  });

  it('can be imported (ES module) and its kernels run', () => {
    fs.writeFileSync(path.join(scratch, 'main.mjs'), `
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      import * as ms from 'tfjs-mindspore-norm';
      ${check}`);
    const out = JSON.parse(run('main.mjs'));
    expect(out.y[0]).toBeCloseTo(0.6, 6);
    expect(out.y[1]).toBeCloseTo(0.8, 6);
    expect(out.g).toBe(2);
  });
});

describe('sideEffects', () => {
  // A module-level call that registers something with tfjs, at the start of a line.
  const REGISTERS = /^(serialization\.registerClass|env\(\)\.registerFlag|register[A-Z]\w*)\(/m;
  const glob = (pattern: string) => new RegExp(
      `^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);

  it('lists every module that registers something when loaded (or bundlers drop it)', () => {
    const sources = (dir: string): string[] => fs.readdirSync(dir, {withFileTypes: true}).flatMap(
        e => e.isDirectory() ? sources(path.join(dir, e.name)) :
                               e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
    const src = path.join(root, 'src');
    const registering = sources(src).filter(f => REGISTERS.test(fs.readFileSync(f, 'utf8')));
    expect(registering.length).toBeGreaterThan(10);
    const patterns = (pkg.sideEffects as string[]).map(glob);
    for (const format of ['esm', 'cjs']) {
      for (const file of registering) {
        const dist = `./dist/${format}/${path.relative(src, file).replace(/\.ts$/, '.js')}`;
        expect({dist, listed: patterns.some(p => p.test(dist))}).toEqual({dist, listed: true});
      }
    }
  });
});

describe('packaging checkers on the tarball', () => {
  it('@arethetypeswrong/cli finds no problem for any entry or resolution mode', () => {
    let out: string;
    try {
      out = execFileSync(bin('attw'), [tarball, '--format', 'json'], {encoding: 'utf8'});
    } catch (e) {
      out = (e as {stdout: string}).stdout;
    }
    const report = JSON.parse(out);
    expect(report.analysis.problems).toEqual([]);
    const entrypoints = Object.keys(report.analysis.entrypoints);
    expect(entrypoints).toEqual(expect.arrayContaining(ENTRIES));
  }, 120000);

  it('publint reports no error, warning or suggestion', () => {
    const out = execFileSync(bin('publint'), ['run', pkgDir, '--pack', 'false', '--strict'],
                             {encoding: 'utf8'});
    expect(out).not.toMatch(/Errors|Warnings|Suggestions/);
    expect(out).toMatch(/All good/);
  }, 120000);
});

describe('a strict TypeScript consumer of the tarball (node16 resolution, both module kinds)', () => {
  const tsc = (extra: string[]) => {
    const args = ['--strict', '--noEmit', '--module', 'node16', '--moduleResolution', 'node16',
                  '--target', 'es2020', '--lib', 'es2020,dom', ...extra,
                  path.join(scratch, 'types', 'esm.mts'), path.join(scratch, 'types', 'cjs.cts')];
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), ...args],
                   {cwd: scratch, encoding: 'utf8'});
      return '';
    } catch (e) {
      return (e as {stdout: string}).stdout;
    }
  };

  beforeAll(() => {
    fs.mkdirSync(path.join(scratch, 'types'), {recursive: true});
    // Assignments that type-check only if the declarations keep ranks and name every entry.
    fs.writeFileSync(path.join(scratch, 'types', 'esm.mts'), `
      import * as tf from '@tensorflow/tfjs-core';
      import {batchNorm, groupNorm, layers, setTrain, type InitializerIdentifier} from 'tfjs-mindspore-norm';
      import {cpuKernelConfigs, gradConfigs, registerConfigs} from 'tfjs-mindspore-norm/base';
      import {webglKernelConfigs} from 'tfjs-mindspore-norm/webgl';
      import {l2Normalize} from 'tfjs-mindspore-norm/cpu';
      const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
      const y: tf.Tensor3D = groupNorm(x, 1);
      const z: tf.Tensor3D = batchNorm(x, [0, 0, 0], [1, 1, 1]).y;
      const w: tf.Tensor3D = l2Normalize(x);
      const init: InitializerIdentifier = 'he_normal';
      const n: number = registerConfigs(cpuKernelConfigs, webglKernelConfigs, gradConfigs);
      const layer = layers.groupNorm({numGroups: 1, numChannels: 3, gammaInit: init});
      export {y, z, w, n, layer, setTrain};`);
    fs.writeFileSync(path.join(scratch, 'types', 'cjs.cts'), `
      import tf = require('@tensorflow/tfjs-core');
      import ms = require('tfjs-mindspore-norm');
      import base = require('tfjs-mindspore-norm/base');
      const y: tf.Tensor2D = ms.l2Normalize(tf.zeros([2, 2]) as tf.Tensor2D);
      const m: tf.Tensor2D = ms.layerNorm(y, [1, 1], [0, 0]).mean;
      base.registerConfigs(base.webglKernelConfigs, base.gradConfigs);
      export = {y, m};`);
  });

  it('type-checks with --skipLibCheck', () => {
    expect(tsc(['--skipLibCheck'])).toBe('');
  }, 120000);

  it('without --skipLibCheck the only errors are in tfjs\'s own declarations', () => {
    const errors = tsc([]).split('\n').filter(l => /error TS/.test(l));
    // (tfjs 4.x's .d.ts fail strict checking: hash_util's Long, tfjs-layers' configs.)
    expect(errors.filter(l => !/node_modules\/@tensorflow\//.test(l))).toEqual([]);
  }, 120000);
});

describe('the ESM and the CommonJS copy in one process', () => {
  it('setTrain of either copy sets the layers of both', () => {
    fs.writeFileSync(path.join(scratch, 'two_copies.mjs'), `
      import {createRequire} from 'module';
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      import * as tfl from '@tensorflow/tfjs-layers';
      import * as esm from 'tfjs-mindspore-norm';
      const cjs = createRequire(import.meta.url)('tfjs-mindspore-norm');
      const model = tfl.sequential();
      model.add(esm.layers.batchNorm1d({numFeatures: 2, inputShape: [2]}));
      model.add(cjs.layers.batchNorm1d({numFeatures: 2}));
      const modes = () => model.layers.map(l => l.trainingMode);
      const out = {distinct: esm.layers.MsLayer !== cjs.layers.MsLayer};
      out.esmCount = esm.setTrain(model, true);
      out.afterEsm = modes();
      out.cjsCount = cjs.setTrain(model, false);
      out.afterCjs = modes();
      console.log(JSON.stringify(out));`);
    expect(JSON.parse(run('two_copies.mjs'))).toEqual({
      distinct: true, esmCount: 2, afterEsm: [true, true], cjsCount: 2, afterCjs: [false, false],
    });
  });
});

/** Browser bundles (esbuild, minified) of pages importing the package's peers and more. */
describe('bundle size', () => {
  const KB = 1024;
  /** At most this much minified code for an op with one backend's kernels (issue 17). */
  const OP_BUDGET = 60 * KB;
  const PEERS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu',
                 '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-layers'];
  const peerImports = PEERS.map(p => `import '${p}';`).join('\n');

  interface Bundle {
    bytes: number;
    /** The package's files (dist/esm paths) and protobufjs's that the bundle holds code of. */
    ours: string[];
  }

  const opPage = (key: string) =>
      `import {l2Normalize} from '${specifier(key)}'; console.log(l2Normalize);`;
  /** Each page (after the peers' imports), by name. */
  const pages: Record<string, string> = {
    peers: '',
    ...Object.fromEntries(ENTRIES.map(key => [`op-${entryFile(key)}`, opPage(key)])),
    reader: `import {readMindSporeCheckpoint} from 'tfjs-mindspore-norm/base'; console.log(readMindSporeCheckpoint);`,
  };

  /** Every page bundled by one esbuild run (each module read once; each page its own bundle). */
  async function bundleAll(): Promise<Record<string, Bundle>> {
    const esbuild = await import('esbuild');
    const dir = path.join(scratch, 'pages');
    fs.mkdirSync(dir, {recursive: true});
    const entryPoints = Object.entries(pages).map(([name, page]) => {
      const file = path.join(dir, `${name}.js`);
      fs.writeFileSync(file, `${peerImports}\n${page}`);
      return {in: file, out: name};
    });
    const result = await esbuild.build({
      entryPoints, outdir: path.join(dir, 'out'), bundle: true, minify: true, platform: 'browser',
      format: 'esm', write: false, metafile: true, logLevel: 'error',
    });
    return Object.fromEntries(Object.entries(result.metafile.outputs).map(([out, meta]) => {
      const ours = Object.entries(meta.inputs)
                       .filter(([f, v]) => /tfjs-mindspore-norm|protobufjs/.test(f) && v.bytesInOutput > 0)
                       .map(([f]) => f.replace(/.*tfjs-mindspore-norm\/dist\/esm\//, ''));
      return [path.basename(out, '.js'), {bytes: meta.bytes, ours}];
    }));
  }

  let bundles: Record<string, Bundle>;
  const added: Record<string, number> = {};
  beforeAll(async () => {
    bundles = await bundleAll();
    expect(Object.keys(bundles).sort()).toEqual(Object.keys(pages).sort());
  }, 120000);
  afterAll(() => {
    // The numbers the README's install section states.
    console.log(`bundle size: peers ${(bundles.peers.bytes / KB).toFixed(1)} KB; added: ` +
                Object.entries(added).map(([k, v]) => `${k} ${(v / KB).toFixed(1)} KB`).join(', '));
  });

  for (const key of ENTRIES) {
    it(`an op from '${specifier(key)}' brings no checkpoint code and no protobufjs` +
           (key === '.' ? '' : `, and at most ${OP_BUDGET / KB} KB`),
       () => {
         const {bytes, ours} = bundles[`op-${entryFile(key)}`];
         added[`l2Normalize from ${specifier(key)}`] = bytes - bundles.peers.bytes;
         expect(ours.length).toBeGreaterThan(0);
         expect(ours.filter(f => /^io\/|protobufjs/.test(f))).toEqual([]);
         // The main entry carries every backend's kernels: its weight is reported, not capped.
         if (key !== '.') {
           expect(bytes - bundles.peers.bytes).toBeLessThanOrEqual(OP_BUDGET);
         }
       });
  }

  it('a per-backend entry brings only its own backend\'s kernels', () => {
    const kernelDirs = (name: string) => [...new Set(bundles[name].ours.filter(f => f.startsWith('kernels/'))
                                                          .map(f => f.split('/')[1]))].sort();
    // The cpu kernels run the SIMD module (kernels/simd, shared with wasm), the GPU kernels share
    // kernels/gpu_util; the fallback kernels come with the ops, which register them on a backend
    // that lacks the package's kernels.
    expect(kernelDirs('op-cpu').filter(d => d !== 'fallback')).toEqual(['cpu', 'simd']);
    expect(kernelDirs('op-webgl').filter(d => d !== 'fallback')).toEqual(['gpu_util', 'webgl']);
    expect(kernelDirs('op-webgpu').filter(d => d !== 'fallback')).toEqual(['gpu_util', 'webgpu']);
    // The SIMD kernels share their layout helpers (shapes to rows, channels, windows) with the
    // cpu kernels' files.
    expect(kernelDirs('op-wasm').filter(d => d !== 'fallback')).toEqual(['cpu', 'simd', 'wasm']);
    expect(kernelDirs('op-base').filter(d => d !== 'fallback')).toEqual([]);
  });

  it('the checkpoint reader comes with readMindSporeCheckpoint (control)', () => {
    const {bytes, ours} = bundles.reader;
    added['readMindSporeCheckpoint from tfjs-mindspore-norm/base'] = bytes - bundles.peers.bytes;
    expect(ours).toContain('io/read_checkpoint.js');
  });
});
