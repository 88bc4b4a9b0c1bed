#!/usr/bin/env node
/**
 * Builds dist/: an ES module and a CommonJS bundle of src/index.ts (tfjs and
 * other dependencies stay external, so the user's single tfjs instance is the
 * one we register kernels with) plus .d.ts files from tsc.
 */
const {execFileSync} = require('child_process');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const external = [
  ...Object.keys(pkg.peerDependencies || {}),
  ...Object.keys(pkg.dependencies || {}),
  'fs',
];

// The SIMD kernel module, compiled from wasm/assembly into src/kernels/simd/module_bytes.ts.
execFileSync(process.execPath, [path.join(__dirname, 'build_wasm.js')], {cwd: root, stdio: 'inherit'});

fs.rmSync(path.join(root, 'dist'), {recursive: true, force: true});

const common = {
  entryPoints: [path.join(root, 'src/index.ts')],
  bundle: true,
  platform: 'neutral',
  target: 'es2019',
  sourcemap: true,
  external,
  logLevel: 'warning',
};

Promise.all([
  esbuild.build({...common, format: 'esm', outfile: path.join(root, 'dist/esm/index.js')}),
  esbuild.build({...common, format: 'cjs', outfile: path.join(root, 'dist/cjs/index.js')}),
]).then(() => {
  // Node reads .js under dist/esm as ESM only with this marker (the root package is CommonJS).
  fs.writeFileSync(path.join(root, 'dist/esm/package.json'), '{"type": "module"}\n');
  fs.writeFileSync(path.join(root, 'dist/cjs/package.json'), '{"type": "commonjs"}\n');
  execFileSync(
      process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {cwd: root, stdio: 'inherit'});
  console.log('built dist/esm, dist/cjs, dist/types');
}).catch(err => {
  console.error(err);
  process.exit(1);
});
