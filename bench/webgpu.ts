// SPDX-License-Identifier: Apache-2.0
/**
 * The WebGPU benchmark from Node: bundles webgpu_page.ts with esbuild and
 * runs it in headless Chromium launched as the WebGPU tests do (the flags of
 * test/webgl/browser.ts plus --enable-unsafe-webgpu; an http://localhost
 * page, since WebGPU needs a secure context). SwiftShader's WebGPU here.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {chromium} from 'playwright-core';

import {CHROME_FLAGS, chromePath, missingChromeMessage} from '../test/webgl/browser';
import {WEBGPU_FLAGS} from '../test/webgpu/webgpu_test_util';
import {FitRow, Row} from './report';
import {SuiteOptions} from './suite';

const PAGE_URL = 'http://localhost/';

export async function runWebgpu(opts: SuiteOptions, log: (line: string) => void):
    Promise<{rows: Row[], fit: FitRow[], info: unknown}> {
  const executablePath = chromePath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(missingChromeMessage(executablePath));
  }
  const bundle = await esbuild.build({
    entryPoints: [path.join(__dirname, 'webgpu_page.ts')],
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
      profileDir, {executablePath, headless: true, args: [...CHROME_FLAGS, ...WEBGPU_FLAGS]});
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', m => log(m.text()));
    page.on('pageerror', e => log(`page error: ${e}`));
    await page.route(PAGE_URL, route => route.fulfill({contentType: 'text/html', body: '<!doctype html>'}));
    await page.goto(PAGE_URL);
    await page.addScriptTag({content: bundle.outputFiles[0].text});
    const info = await page.evaluate(() => window.benchWebgpu.setUp());
    if (info.backend !== 'webgpu') {
      throw new Error(`expected the webgpu backend in Chromium, got '${info.backend}'`);
    }
    log(`WebGPU adapter ${info.vendor} ${info.architecture}`);
    const rows = await page.evaluate(o => window.benchWebgpu.runCases(o), opts);
    const fit = opts.fit ? await page.evaluate(q => window.benchWebgpu.runFit(q), opts.quick) : [];
    return {rows, fit, info};
  } finally {
    await context.close();
    await fs.promises.rm(profileDir, {recursive: true, force: true});
  }
}
