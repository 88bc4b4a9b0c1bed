// SPDX-License-Identifier: Apache-2.0
/**
 * Opens the built page (site/dist) in headless Chromium with the project's
 * flags (tools/chromium.ts). The files are served from http://localhost/ by
 * Playwright's routing (a secure context, which WebGPU needs); nothing
 * listens on a port.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {BrowserContext, chromium, Page} from 'playwright-core';

import {CHROME_FLAGS, chromePath, missingChromeMessage, PAGE_URL} from '../../tools/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png',
};

export interface SiteBrowser {
  context: BrowserContext;
  /** Console errors and uncaught exceptions of every page opened. */
  errors: string[];
  open(query?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchSite(distDir: string): Promise<SiteBrowser> {
  const executablePath = chromePath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(missingChromeMessage(executablePath));
  }
  const profileDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfjs-ms-norm-site-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath, headless: true, args: CHROME_FLAGS, viewport: {width: 1200, height: 900},
  }).catch(async e => {
    await fs.promises.rm(profileDir, {recursive: true, force: true});
    throw e;
  });
  const errors: string[] = [];
  await context.route(`${PAGE_URL}**`, route => {
    const name = new URL(route.request().url()).pathname.replace(/^\/$/, '/index.html');
    const file = path.join(distDir, path.normalize(name));
    if (!file.startsWith(distDir) || !fs.existsSync(file)) {
      return route.fulfill({status: 404, body: 'not found'});
    }
    return route.fulfill({
      contentType: TYPES[path.extname(file)] ?? 'application/octet-stream',
      body: fs.readFileSync(file),
    });
  });
  return {
    context,
    errors,
    open: async (query = '') => {
      const page = await context.newPage();
      page.on('pageerror', e => errors.push(String(e)));
      page.on('console', m => {
        if (m.type() === 'error') {
          errors.push(m.text());
        }
      });
      await page.goto(`${PAGE_URL}index.html${query}`);
      await page.waitForSelector('html[data-state="ready"], html[data-state="error"]',
                                 {timeout: 120000});
      return page;
    },
    close: async () => {
      await context.close();
      await fs.promises.rm(profileDir, {recursive: true, force: true});
    },
  };
}
