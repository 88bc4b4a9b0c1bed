/**
 * The built package, packed as npm would publish it and installed into a
 * scratch project outside the repo, works through both `require` and `import`.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
let scratch: string;

function run(file: string): string {
  return execFileSync(process.execPath, [file], {cwd: scratch, encoding: 'utf8'});
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ms-norm-scratch-'));
  const tgz = execFileSync(
      'npm', ['pack', '--silent', '--pack-destination', scratch], {cwd: root, encoding: 'utf8'})
      .trim().split('\n').pop()!;
  const modules = path.join(scratch, 'node_modules');
  const pkgDir = path.join(modules, 'tfjs-mindspore-norm');
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
  it('ships dist/esm, dist/cjs and typings', () => {
    const pkgDir = path.join(scratch, 'node_modules', 'tfjs-mindspore-norm');
    for (const f of ['dist/esm/index.js', 'dist/cjs/index.js', 'dist/types/index.d.ts']) {
      expect(fs.existsSync(path.join(pkgDir, f))).toBe(true);
    }
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
