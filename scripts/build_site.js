#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * Builds site/dist/: the "see the differences" page. One classic script (an
 * iife, not a module) so the page also opens from file://, where browsers
 * refuse module scripts; tfjs and the package are bundled into it.
 */
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const site = path.join(root, 'site');
const out = path.join(site, 'dist');

async function buildSite() {
  fs.rmSync(out, {recursive: true, force: true});
  fs.mkdirSync(out, {recursive: true});
  await esbuild.build({
    entryPoints: [path.join(site, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2018',
    minify: true,
    outfile: path.join(out, 'app.js'),
    define: {'process.env.NODE_ENV': '"production"'},
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) {
    fs.copyFileSync(path.join(site, file), path.join(out, file));
  }
  return out;
}

module.exports = {buildSite};

if (require.main === module) {
  buildSite().then(dir => {
    console.log(`built ${path.relative(root, dir)}/ (open ${path.relative(root, dir)}/index.html)`);
  }).catch(err => {
    console.error(err);
    process.exit(1);
  });
}
