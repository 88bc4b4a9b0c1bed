// SPDX-License-Identifier: Apache-2.0
/**
 * The SIMD module where browser users run it: headless Chromium (Debian's),
 * the package bundled with esbuild. The module compiles synchronously at
 * import on the main thread, and every kernel runs on the cpu backend (module
 * and JavaScript paths) and on tfjs's wasm backend (its .wasm binaries served
 * through page.route), against the float64 references.
 */
import * as fs from 'fs';
import * as path from 'path';

import {ChromiumPage, launchChromium, PAGE_URL} from '../../tools/chromium';
import {expectClose} from '../test_util';
import type {PageRun} from './browser_entry';
import {KERNEL_CASES, KernelCase} from './kernel_cases';

const WASM_DIR = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const WASM_PREFIX = `${PAGE_URL}wasm/`;

let browser: ChromiumPage;

beforeAll(async () => {
  browser = await launchChromium({entry: path.join(__dirname, 'browser_entry.ts')});
  // tfjs-wasm's binaries, from node_modules.
  await browser.page.route(`${WASM_PREFIX}*`, route => route.fulfill({
    contentType: 'application/wasm',
    body: fs.readFileSync(path.join(WASM_DIR, path.basename(new URL(route.request().url()).pathname))),
  }));
}, 120000);

afterAll(async () => {
  await browser?.close();
});

describe('the SIMD module in Chromium', () => {
  it('is supported and compiled synchronously at import, on the main thread', async () => {
    const atImport = await browser.page.evaluate(() => window.simdHarness.atImport);
    expect(atImport).toEqual({supported: true, compiledSynchronously: true, flag: true});
    const setUp = await browser.page.evaluate(prefix => window.simdHarness.setUp(prefix), WASM_PREFIX);
    expect(setUp).toEqual({wasmSimd: true, ready: true});
    expect(browser.pageErrors).toEqual([]);
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
        const out = await browser.page.evaluate(r => window.simdHarness.run(r), run);
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
