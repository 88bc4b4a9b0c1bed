#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * Builds dist/ for every entry of package.json's `exports` (".": src/index.ts,
 * "./base": src/base.ts, "./cpu": src/cpu.ts, ...; a new entry is one
 * `exports` key plus its source file):
 *  - dist/esm: ES modules and dist/cjs: CommonJS, each one output file per
 *    source module, so entries imported together share one copy of each
 *    module (and its state), and a bundler drops the modules a page never
 *    uses (package.json `sideEffects` lists the few that register things);
 *  - declarations from tsc, copied into both, so each format's .d.ts sits in
 *    a folder whose package.json states its module kind (no "masquerading"
 *    types), with explicit `.js` specifiers, which Node's ESM resolution needs.
 * tfjs and other dependencies stay external, so the user's single tfjs
 * instance is the one kernels are registered with.
 */
const {execFileSync} = require('child_process');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const pkg = require(path.join(root, 'package.json'));
const external = [
  ...Object.keys(pkg.peerDependencies || {}),
  ...Object.keys(pkg.dependencies || {}),
  'fs',
];

/** The source file of each `exports` entry ("." -> src/index.ts, "./cpu" -> src/cpu.ts). */
function entrySources() {
  return Object.keys(pkg.exports)
      .filter(key => key !== './package.json')
      .map(key => path.join(src, `${key === '.' ? 'index' : key.slice(2)}.ts`));
}

function sourceFiles(dir) {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap(e => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(file) : e.name.endsWith('.ts') ? [file] : [];
  });
}

/**
 * Rewrites a declaration file's relative specifiers to the `.js` files they
 * stand for ('./ops' -> './ops/index.js'), and deep imports into a peer's
 * dist folder likewise: Node's ESM resolution (TypeScript's node16/nodenext)
 * takes no extensionless paths.
 */
function withExtensions(file, text) {
  return text.replace(/((?:from|import)\s*\(?\s*)(['"])([^'"]+)\2/g, (whole, lead, quote, spec) => {
    if (spec.endsWith('.js')) {
      return whole;
    }
    let resolved = spec;
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      if (fs.existsSync(`${target}.d.ts`)) {
        resolved = `${spec}.js`;
      } else if (fs.existsSync(path.join(target, 'index.d.ts'))) {
        resolved = `${spec}/index.js`;
      } else {
        throw new Error(`build: ${file} imports ${spec}, which has no declaration file`);
      }
    } else if (/^@tensorflow\/[^/]+\/dist\//.test(spec)) {
      resolved = `${spec}.js`;
    }
    return `${lead}${quote}${resolved}${quote}`;
  });
}

function copyDeclarations(from, to) {
  for (const e of fs.readdirSync(from, {withFileTypes: true})) {
    const source = path.join(from, e.name);
    const target = path.join(to, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(target, {recursive: true});
      copyDeclarations(source, target);
    } else if (e.name.endsWith('.d.ts')) {
      fs.writeFileSync(target, withExtensions(source, fs.readFileSync(source, 'utf8')));
    }
  }
}

/**
 * Keeps each source module its own output file: a relative import stays an
 * import, of the output file it names with its extension ('./ops' ->
 * './ops/index.js'), which Node's ESM loader needs.
 */
const keepModules = {
  name: 'keep-modules',
  setup(build) {
    build.onResolve({filter: /^\.\.?(\/|$)/}, args => {
      if (args.kind === 'entry-point') {
        return undefined;
      }
      const target = path.resolve(args.resolveDir, args.path);
      const spec = args.path.replace(/\/$/, '');
      if (fs.existsSync(`${target}.ts`)) {
        return {path: `${spec}.js`, external: true};
      }
      if (fs.existsSync(path.join(target, 'index.ts'))) {
        return {path: `${spec}/index.js`, external: true};
      }
      return {errors: [{text: `cannot resolve ${args.path} from ${args.importer}`}]};
    });
  },
};

async function main() {
  // The SIMD kernel module, compiled from wasm/assembly into src/kernels/simd/module_bytes.ts.
  execFileSync(process.execPath, [path.join(__dirname, 'build_wasm.js')], {cwd: root, stdio: 'inherit'});
  fs.rmSync(dist, {recursive: true, force: true});
  const entries = entrySources();
  for (const entry of entries) {
    if (!fs.existsSync(entry)) {
      throw new Error(`build: package.json exports an entry whose source ${entry} does not exist`);
    }
  }
  const common = {
    platform: 'neutral',
    target: 'es2019',
    sourcemap: true,
    logLevel: 'warning',
    outbase: src,
  };
  const modules = sourceFiles(src);
  await Promise.all(['esm', 'cjs'].map(format => esbuild.build({
    ...common,
    entryPoints: modules,
    bundle: true,
    format,
    external,
    outdir: path.join(dist, format),
    plugins: [keepModules],
  })));
  // Node reads .js (and TypeScript .d.ts) under dist/esm as ESM only with this marker (the root
  // package is CommonJS). Bundlers take `sideEffects` from the nearest package.json, which is
  // this one, so it carries the root's list, relative to its folder. (The root's list also names
  // the same modules under src/, for bundles built from the sources: the tests, the site.)
  for (const [format, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
    const sideEffects = pkg.sideEffects.filter(p => p.startsWith('./dist/'))
        .map(p => p.replace(/^\.\/dist\/\*\//, './'));
    fs.writeFileSync(path.join(dist, format, 'package.json'),
                     `${JSON.stringify({type, sideEffects}, null, 2)}\n`);
  }
  const types = path.join(dist, 'types-tmp');
  execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', types],
      {cwd: root, stdio: 'inherit'});
  copyDeclarations(types, path.join(dist, 'esm'));
  copyDeclarations(types, path.join(dist, 'cjs'));
  fs.rmSync(types, {recursive: true, force: true});
  console.log(`built dist/esm and dist/cjs (${entries.length} entries, with declarations)`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
