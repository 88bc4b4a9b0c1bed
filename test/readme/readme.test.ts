// SPDX-License-Identifier: Apache-2.0
/**
 * Every code block of README.md runs as written (Node blocks each in a child
 * Node, Browser blocks in headless Chromium) and prints what its comments say.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

import {launchChromium} from '../../tools/chromium';
import {bundleForNode, packageSources, ROOT, runNode} from '../child_node';

import {printedAsStated, ReadmeBlock, readmeBlocks} from './readme_blocks';

const blocks = readmeBlocks();

let scratch: string;
beforeAll(() => {
  // Inside the repo, so the blocks' imports resolve to its node_modules.
  scratch = fs.mkdtempSync(path.join(ROOT, 'test', 'readme', '.blocks-'));
});
afterAll(() => fs.rmSync(scratch, {recursive: true, force: true}));

/** A Node block runs in a child Node of its own: nothing is shared with the other blocks. */
async function runInNode(block: ReadmeBlock): Promise<string[]> {
  const entry = path.join(scratch, `block_${block.line}.ts`);
  fs.writeFileSync(entry, block.code);
  const bundle = await bundleForNode(entry, path.join(scratch, `block_${block.line}.js`));
  const out = runNode(bundle, ['-r', path.join(__dirname, 'preload.js')]);
  return out.split('\n').filter(l => l !== '');
}

async function runInBrowser(block: ReadmeBlock): Promise<string[]> {
  const entry = path.join(scratch, `block_${block.line}.ts`);
  fs.writeFileSync(entry, block.code);
  const bundled = path.join(scratch, `block_${block.line}.bundle.js`);
  await esbuild.build({
    entryPoints: [entry], bundle: true, write: true, outfile: bundled,
    format: 'iife', platform: 'browser', target: 'es2018', logLevel: 'silent',
    plugins: [packageSources], define: {'process.env.NODE_ENV': '"production"'},
  });
  const printed: string[] = [];
  const browser = await launchChromium({entry: bundled, onConsole: l => printed.push(l)});
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
