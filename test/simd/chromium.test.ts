// SPDX-License-Identifier: Apache-2.0
/**
 * The SIMD module where browser users run it: headless Chromium (Debian's),
 * the package bundled with esbuild. The module compiles synchronously at
 * import on the main thread, and every kernel runs on the cpu backend (module
 * and JavaScript paths) and on tfjs's wasm backend (its .wasm binaries served
 * through page.route), against the float64 references.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {BrowserContext, chromium, Page} from 'playwright-core';

import {chromePath, CHROME_FLAGS, missingChromeMessage} from '../webgl/browser';
import {expectClose} from '../test_util';
import type {PageRun} from './browser_entry';
import {KERNEL_CASES, KernelCase} from './kernel_cases';

const ORIGIN = 'http://localhost';
const WASM_DIR = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));

let context: BrowserContext;
let page: Page;
let profileDir: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  const executablePath = chromePath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(missingChromeMessage(executablePath));
  }
  const bundle = await esbuild.build({
    entryPoints: [path.join(__dirname, 'browser_entry.ts')], bundle: true, write: false,
    format: 'iife', platform: 'browser', target: 'es2018', logLevel: 'silent',
    define: {'process.env.NODE_ENV': '"production"'},
  });
  profileDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfjs-ms-norm-simd-'));
  context = await chromium.launchPersistentContext(
      profileDir, {executablePath, headless: true, args: CHROME_FLAGS});
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', e => pageErrors.push(String(e)));
  // A page on http://localhost, and tfjs-wasm's binaries from node_modules.
  await page.route(`${ORIGIN}/**`, route => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/wasm/')) {
      return route.fulfill({contentType: 'application/wasm',
                            body: fs.readFileSync(path.join(WASM_DIR, path.basename(url.pathname)))});
    }
    return route.fulfill({contentType: 'text/html', body: '<!doctype html><title>simd</title>'});
  });
  await page.goto(`${ORIGIN}/`);
  await page.addScriptTag({content: bundle.outputFiles[0].text});
}, 120000);

afterAll(async () => {
  await context?.close();
  if (profileDir != null) {
    await fs.promises.rm(profileDir, {recursive: true, force: true});
  }
});

describe('the SIMD module in Chromium', () => {
  it('is supported and compiled synchronously at import, on the main thread', async () => {
    const atImport = await page.evaluate(() => window.simdHarness.atImport);
    expect(atImport).toEqual({supported: true, compiledSynchronously: true, flag: true});
    const setUp = await page.evaluate(prefix => window.simdHarness.setUp(prefix), `${ORIGIN}/wasm/`);
    expect(setUp).toEqual({wasmSimd: true, ready: true});
    expect(pageErrors).toEqual([]);
  });

  const paths: Array<{title: string, backend: 'cpu'|'wasm', simd: boolean}> = [
    {title: 'cpu, SIMD module', backend: 'cpu', simd: true},
    {title: 'cpu, JavaScript kernels', backend: 'cpu', simd: false},
    {title: 'wasm, SIMD module in place', backend: 'wasm', simd: true},
  ];
  describe.each(paths)('$title', p => {
    it('runs every kernel as the float64 references say, no leak', async () => {
      for (const c of KERNEL_CASES) {
        const run: PageRun = {
          backend: p.backend, simd: p.simd, kernel: c.kernel, attrs: c.attrs,
          inputs: Object.fromEntries(Object.entries(c.inputs).map(
              ([name, {shape, values}]) => [name, {shape, values: Array.from(values)}])),
        };
        const out = await page.evaluate(r => window.simdHarness.run(r), run);
        const where = `${c.kernel} ${c.title}`;
        expect({where, simdCalls: out.simdCalls, leaked: out.leaked})
            .toEqual({where, simdCalls: p.simd ? 1 : 0, leaked: 0});
        const expected = expectedOf(c);
        out.values.forEach((v, k) => expectClose(v, expected[k], c.tol, c.rtol?.[k] ?? 0));
      }
    });
  });
});

const expectations = new Map<KernelCase, ArrayLike<number>[]>();
function expectedOf(c: KernelCase): ArrayLike<number>[] {
  if (!expectations.has(c)) {
    expectations.set(c, c.expected());
  }
  return expectations.get(c)!;
}
