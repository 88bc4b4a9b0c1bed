// SPDX-License-Identifier: Apache-2.0
/**
 * The WebGPU benchmark from Node: webgpu_page.ts bundled and run in headless
 * Chromium by tools/chromium.ts, the same launcher as the browser tests
 * (SwiftShader's WebGPU here).
 */
import * as path from 'path';

import {launchChromium} from '../tools/chromium';
import {FitRow, Row} from './report';
import {SuiteOptions} from './suite';

export async function runWebgpu(opts: SuiteOptions, log: (line: string) => void):
    Promise<{rows: Row[], fit: FitRow[], info: unknown}> {
  const browser =
      await launchChromium({entry: path.join(__dirname, 'webgpu_page.ts'), onConsole: log});
  try {
    const {page} = browser;
    page.on('pageerror', e => log(`page error: ${e}`));
    const info = await page.evaluate(() => window.benchWebgpu.setUp());
    if (info.backend !== 'webgpu') {
      throw new Error(`expected the webgpu backend in Chromium, got '${info.backend}'`);
    }
    log(`WebGPU adapter "${info.renderer}"`);
    const rows = await page.evaluate(o => window.benchWebgpu.runCases(o), opts);
    const fit = opts.fit ? await page.evaluate(q => window.benchWebgpu.runFit(q), opts.quick) : [];
    return {rows, fit, info};
  } finally {
    await browser.close();
  }
}
