// SPDX-License-Identifier: Apache-2.0
/**
 * The browser side of the suite: Chromium (tools/chromium.ts) with
 * page_entry.ts loaded, every browser backend of backends.ts set up once
 * (asserted: a backend that fails to start, e.g. WebGPU without an adapter,
 * resolves false in tfjs rather than throwing).
 *
 *   const h = await launchHarness();
 *   const out = await h.page.evaluate(r => window.harness.runKernel(r), run);
 *   await h.close();
 */
import * as path from 'path';

import {ChromiumPage, launchChromium, LaunchOptions as ChromiumOptions} from '../../tools/chromium';

import {browserBackends} from './backends';
import type {WebGLInfo} from './runner';

export {chromePath, missingChromeMessage} from '../../tools/chromium';
export type {WebGLInfo};

const ENTRY = path.join(__dirname, 'page_entry.ts');

export interface Harness extends ChromiumPage {
  /** What each browser backend runs on, by backend name (harness.test.ts prints it). */
  info: Record<string, WebGLInfo>;
}

/** The launcher's options but the page: the harness always loads page_entry.ts. */
export type LaunchOptions = Pick<ChromiumOptions, 'executablePath'|'extraArgs'|'ownBrowser'>;

export async function launchHarness(options: LaunchOptions = {}): Promise<Harness> {
  const browser = await launchChromium({entry: ENTRY, ...options});
  try {
    const info: Record<string, WebGLInfo> = {};
    for (const {backend} of browserBackends()) {
      info[backend] = await browser.page.evaluate(name => window.harness.setUp(name), backend);
      if (info[backend].backend !== backend) {
        throw new Error(`expected the ${backend} backend in Chromium, got '${info[backend].backend}'`);
      }
    }
    return {...browser, info};
  } catch (e) {
    await browser.close();
    throw e;
  }
}

let shared: Promise<Harness>|undefined;

/**
 * One browser per test file, shared by every browser backend's describe block
 * (launching one takes ~1.7 s; a file has up to 30 such blocks).
 */
export function acquireHarness(): Promise<Harness> {
  shared ??= launchHarness();
  return shared;
}

/** Closes the file's browser (describeEachBackend registers this as a file-level afterAll). */
export async function closeSharedHarness(): Promise<void> {
  const current = shared;
  shared = undefined;
  await (await current?.catch(() => undefined))?.close();
}
