/**
 * The WebGL benchmark from Node: bundles webgl_page.ts with esbuild and runs
 * it in headless Chromium launched as the WebGL tests do (the binary, flags
 * and install hint of test/webgl/browser.ts: WebGL2 on SwiftShader).
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {chromium} from 'playwright-core';

import {CHROME_FLAGS, chromePath, missingChromeMessage} from '../test/webgl/browser';
import {FitRow, Row} from './report';
import {SuiteOptions} from './suite';

export async function runWebgl(opts: SuiteOptions, log: (line: string) => void):
    Promise<{rows: Row[], fit: FitRow[], info: unknown}> {
  const executablePath = chromePath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(missingChromeMessage(executablePath));
  }
  const bundle = await esbuild.build({
    entryPoints: [path.join(__dirname, 'webgl_page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2018',
    logLevel: 'silent',
    define: {'process.env.NODE_ENV': '"production"'},
  });
  const profileDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfjs-ms-norm-bench-'));
  const context = await chromium.launchPersistentContext(
      profileDir, {executablePath, headless: true, args: CHROME_FLAGS});
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', m => log(m.text()));
    page.on('pageerror', e => log(`page error: ${e}`));
    await page.goto('about:blank');
    await page.addScriptTag({content: bundle.outputFiles[0].text});
    const info = await page.evaluate(() => window.bench.setUp());
    if (info.backend !== 'webgl') {
      throw new Error(`expected the webgl backend in Chromium, got '${info.backend}'`);
    }
    log(`WebGL ${info.webglVersion}, renderer "${info.renderer}"`);
    const rows = await page.evaluate(o => window.bench.runCases(o), opts);
    const fit = opts.fit ? await page.evaluate(q => window.bench.runFit(q), opts.quick) : [];
    return {rows, fit, info};
  } finally {
    await context.close();
    await fs.promises.rm(profileDir, {recursive: true, force: true});
  }
}
