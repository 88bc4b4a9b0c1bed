// SPDX-License-Identifier: Apache-2.0
/**
 * The browser benchmarks from Node: a backend's page (webgl_page.ts,
 * webgpu_page.ts) bundled and run in headless Chromium by tools/chromium.ts,
 * the same launcher as the browser tests (SwiftShader's WebGL2 and WebGPU
 * here).
 */
import * as path from 'path';

import {launchChromium} from '../tools/chromium';
import {FitRow, Row} from './report';
import {SuiteOptions} from './suite';

export type BrowserBackend = 'webgl'|'webgpu';

export async function runInChromium(backend: BrowserBackend, opts: SuiteOptions,
                                    log: (line: string) => void):
    Promise<{rows: Row[], fit: FitRow[], info: unknown}> {
  const browser =
      await launchChromium({entry: path.join(__dirname, `${backend}_page.ts`), onConsole: log});
  try {
    const {page} = browser;
    page.on('pageerror', e => log(`page error: ${e}`));
    const info = await page.evaluate(() => window.bench.setUp());
    if (info.backend !== backend) {
      throw new Error(`expected the ${backend} backend in Chromium, got '${info.backend}'`);
    }
    log(backend === 'webgl' ? `WebGL ${info.webglVersion}, renderer "${info.renderer}"` :
                              `WebGPU adapter "${info.renderer}"`);
    const rows = await page.evaluate(o => window.bench.runCases(o), opts);
    const fit = opts.fit ? await page.evaluate(q => window.bench.runFit(q), opts.quick) : [];
    return {rows, fit, info};
  } finally {
    await browser.close();
  }
}
