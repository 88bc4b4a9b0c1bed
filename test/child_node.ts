// SPDX-License-Identifier: Apache-2.0
/**
 * TypeScript run in a child Node, for specs that need a process of their own
 * (a README block, a small heap, a fresh tfjs): the entry is bundled by
 * esbuild into one CommonJS file, every package left to Node's resolution at
 * run time. It starts in a fraction of ts-node's time, which transpiles every
 * source file again at each start.
 */
import {execFileSync, ExecFileSyncOptions} from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');

/** A scratch folder inside the repo's node_modules, so bundles there resolve the repo's packages. */
export function bundleScratch(prefix: string): string {
  return fs.mkdtempSync(path.join(ROOT, 'node_modules', `.ms-norm-${prefix}-`));
}

/** 'tfjs-mindspore-norm' and its subpaths resolve to the repo's sources, as a user's import would to the package. */
export const packageSources: esbuild.Plugin = {
  name: 'package-sources',
  setup(build) {
    build.onResolve({filter: /^tfjs-mindspore-norm(\/|$)/}, args => {
      const sub = args.path.slice('tfjs-mindspore-norm'.length).replace(/^\//, '');
      return {path: path.join(ROOT, 'src', `${sub === '' ? 'index' : sub}.ts`)};
    });
  },
};

/** Bundles `entry` (with the repo's tsconfig) into `outfile` for Node; returns outfile. */
export async function bundleForNode(entry: string, outfile: string): Promise<string> {
  await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, write: true, format: 'cjs', platform: 'node',
    target: 'node18', packages: 'external', logLevel: 'silent',
    tsconfig: path.join(ROOT, 'tsconfig.json'), plugins: [packageSources],
  });
  return outfile;
}

/** Runs a bundle in a child Node (`nodeArgs` before it) from the repo root; returns its stdout. */
export function runNode(bundle: string, nodeArgs: string[] = [], options: ExecFileSyncOptions = {}):
    string {
  return execFileSync(process.execPath, [...nodeArgs, bundle],
                      {cwd: ROOT, ...options, encoding: 'utf8'}) as string;
}
