// SPDX-License-Identifier: Apache-2.0
/**
 * Every code block of README.md runs as written (Node blocks each in a child
 * Node, Browser blocks in headless Chromium) and prints what its comments say.
 */
import {execFileSync} from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

import {launchChromium} from '../../tools/chromium';

import {printedAsStated, ReadmeBlock, readmeBlocks} from './readme_blocks';

const ROOT = path.join(__dirname, '..', '..');
const blocks = readmeBlocks();

let scratch: string;
beforeAll(() => {
  // Inside the repo, so the blocks' imports resolve to its node_modules.
  scratch = fs.mkdtempSync(path.join(ROOT, 'test', 'readme', '.blocks-'));
});
afterAll(() => fs.rmSync(scratch, {recursive: true, force: true}));

/** The package's specifier, or one of its subpaths, resolves to the repo's sources. */
const sourcesOfPackage: esbuild.Plugin = {
  name: 'package-sources',
  setup(build) {
    build.onResolve({filter: /^tfjs-mindspore-norm(\/|$)/}, args => {
      const sub = args.path.slice('tfjs-mindspore-norm'.length).replace(/^\//, '');
      return {path: path.join(ROOT, 'src', `${sub === '' ? 'index' : sub}.ts`)};
    });
  },
};

/**
 * A block as one script: its TypeScript transpiled by esbuild, the package
 * resolved to the repo's sources. For Node, every other import is left to
 * Node's own resolution (CommonJS, as the published package is required).
 */
async function bundleBlock(block: ReadmeBlock, platform: 'node'|'browser'): Promise<string> {
  const entry = path.join(scratch, `block_${block.line}.ts`);
  fs.writeFileSync(entry, block.code);
  const outfile = path.join(scratch, `block_${block.line}.${platform}.js`);
  await esbuild.build({
    entryPoints: [entry], bundle: true, write: true, outfile, logLevel: 'silent',
    tsconfig: path.join(ROOT, 'tsconfig.json'), plugins: [sourcesOfPackage],
    ...(platform === 'node' ?
            {format: 'cjs', platform: 'node', target: 'node18', packages: 'external'} :
            {format: 'iife', platform: 'browser', target: 'es2018',
             define: {'process.env.NODE_ENV': '"production"'}}),
  });
  return outfile;
}

/** A Node block runs in a child Node of its own: nothing is shared with the other blocks. */
async function runInNode(block: ReadmeBlock): Promise<string[]> {
  const out = execFileSync(
      process.execPath, ['-r', path.join(__dirname, 'preload.js'), await bundleBlock(block, 'node')],
      {cwd: ROOT, encoding: 'utf8'});
  return out.split('\n').filter(l => l !== '');
}

async function runInBrowser(block: ReadmeBlock): Promise<string[]> {
  const printed: string[] = [];
  const browser = await launchChromium(
      {entry: await bundleBlock(block, 'browser'), onConsole: l => printed.push(l)});
  try {
    // The block runs on load; wait until it has printed what it states (or fails).
    const deadline = Date.now() + 60000;
    while (printed.length < block.expected.length && browser.pageErrors.length === 0 &&
           Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(browser.pageErrors).toEqual([]);
  } finally {
    await browser.close();
  }
  return printed;
}

describe('README.md', () => {
  it('has code blocks, each marked with where it runs', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  for (const block of blocks) {
    it(`block at line ${block.line} (${block.where}) runs and prints what it states`, async () => {
      const printed = await (block.where === 'node' ? runInNode(block) : runInBrowser(block));
      const stated = block.expected;
      expect(printed.length).toBeGreaterThanOrEqual(stated.length);
      // The stated lines, in order, among what the block printed.
      let k = 0;
      for (const line of printed) {
        if (k < stated.length && printedAsStated(line, stated[k])) {
          k++;
        }
      }
      expect({printed, matched: stated.slice(0, k)}).toEqual({printed, matched: stated});
    }, 120000);
  }
});
