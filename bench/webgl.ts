// SPDX-License-Identifier: Apache-2.0
/**
 * The WebGL benchmark from Node: webgl_page.ts bundled and run in headless
 * Chromium by tools/chromium.ts, the same launcher as the browser tests
 * (WebGL2 on SwiftShader here).
 */
import * as path from 'path';

import {launchChromium} from '../tools/chromium';
import {FitRow, Row} from './report';
import {SuiteOptions} from './suite';

export async function runWebgl(opts: SuiteOptions, log: (line: string) => void):
    Promise<{rows: Row[], fit: FitRow[], info: unknown}> {
  const browser = await launchChromium({entry: path.join(__dirname, 'webgl_page.ts'), onConsole: log});
  try {
    const {page} = browser;
    page.on('pageerror', e => log(`page error: ${e}`));
    const info = await page.evaluate(() => window.bench.setUp());
    if (info.backend !== 'webgl') {
      throw new Error(`expected the webgl backend in Chromium, got '${info.backend}'`);
    }
    log(`WebGL ${info.webglVersion}, renderer "${info.renderer}"`);
    const rows = await page.evaluate(o => window.bench.runCases(o), opts);
    const fit = opts.fit ? await page.evaluate(q => window.bench.runFit(q), opts.quick) : [];
    return {rows, fit, info};
  } finally {
    await browser.close();
  }
}
