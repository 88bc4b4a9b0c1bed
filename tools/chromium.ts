// SPDX-License-Identifier: Apache-2.0
/**
 * Headless Chromium for the browser test suites and the browser benchmarks:
 * bundles an entry with esbuild, launches Debian's Chromium through
 * playwright-core (never a browser download) and loads the bundle into a page
 * served from http://localhost/ (a secure context, which WebGPU requires;
 * nothing listens there: Playwright answers the request itself).
 *
 *   const browser = await launchChromium({entry: 'test/backends/page_entry.ts'});
 *   const value = await browser.page.evaluate(() => 1 + 1);
 *   await browser.close();
 *
 * Under Jest, test/backends/global_setup.ts starts one Chromium per worker
 * before the test files run, and launchChromium opens a fresh context of it
 * instead of starting a browser per file (see sharedEndpoint).
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {Browser, BrowserContext, BrowserServer, chromium, Page} from 'playwright-core';

export const DEFAULT_CHROME_PATH = '/usr/lib/chromium/chromium';

/**
 * Flags measured to work on this project's machines: software WebGL2 through
 * ANGLE + SwiftShader, WebGPU on SwiftShader's Vulkan, and no background
 * network traffic (the machines have no network).
 */
export const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** The page's address: localhost is a secure context, about:blank is not. */
export const PAGE_URL = 'http://localhost/';

/** The Chromium binary: $CHROME_PATH, else Debian's real binary (not the /usr/bin wrapper). */
export function chromePath(): string {
  return process.env.CHROME_PATH || DEFAULT_CHROME_PATH;
}

export function missingChromeMessage(executablePath: string): string {
  return `Chromium not found at ${executablePath}: install it with ` +
      '`apt-get update && apt-get install -y chromium` or set CHROME_PATH';
}

const bundles = new Map<string, Promise<string>>();

/** The iife bundle of an entry file (built once per process and entry). */
export function buildBundle(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (bundle == null) {
    bundle = esbuild
                 .build({
                   entryPoints: [entry],
                   bundle: true,
                   write: false,
                   format: 'iife',
                   platform: 'browser',
                   target: 'es2018',
                   logLevel: 'silent',
                   loader: {'.wasm': 'binary'},
                   define: {'process.env.NODE_ENV': '"production"'},
                 })
                 .then(result => result.outputFiles[0].text);
    bundles.set(entry, bundle);
  }
  return bundle;
}

export interface ChromiumPage {
  page: Page;
  context: BrowserContext;
  /** The temporary Chromium profile, removed by close() (none for a shared browser's page). */
  profileDir?: string;
  /** Console errors and uncaught page errors, newest last (for failure messages). */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** The file to bundle and load into the page. */
  entry: string;
  executablePath?: string;
  /** Extra Chromium flags. */
  extraArgs?: string[];
  /** Receives every console message of the page (errors are also kept in pageErrors). */
  onConsole?: (line: string) => void;
  /** Start a browser of its own even where a shared one is running. */
  ownBrowser?: boolean;
}

/** Where global_setup.ts's browsers listen: one WebSocket endpoint per Jest worker. */
export const SHARED_ENDPOINTS_ENV = 'MS_CHROMIUM_ENDPOINTS';

/** Starts a Chromium that pages of other processes connect to (sharedEndpoint). */
export function launchChromiumServer(executablePath = chromePath()): Promise<BrowserServer> {
  return chromium.launchServer({executablePath, headless: true, args: CHROME_FLAGS});
}

/**
 * This Jest worker's shared browser, if one runs and the page needs no
 * browser of its own (another binary or other flags).
 */
function sharedEndpoint(options: LaunchOptions): string|undefined {
  const endpoints = process.env[SHARED_ENDPOINTS_ENV]?.split(',').filter(e => e !== '') ?? [];
  if (endpoints.length === 0 || options.ownBrowser || options.executablePath != null ||
      options.extraArgs != null) {
    return undefined;
  }
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return endpoints[(worker - 1) % endpoints.length];
}

/** Loads the bundle into a localhost page, collecting its errors. */
async function openPage(context: BrowserContext, bundle: string, options: LaunchOptions):
    Promise<{page: Page, pageErrors: string[]}> {
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => {
    if (m.type() === 'error') {
      pageErrors.push(m.text());
    }
    options.onConsole?.(m.text());
  });
  await page.route(PAGE_URL, route => route.fulfill({
    contentType: 'text/html',
    body: '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>',
  }));
  await page.goto(PAGE_URL);
  await page.addScriptTag({content: bundle});
  return {page, pageErrors};
}

/** A fresh context (its own storage, its own page) of the shared browser at endpoint. */
async function openSharedPage(endpoint: string, options: LaunchOptions): Promise<ChromiumPage> {
  const [bundle, browser] = await Promise.all([buildBundle(options.entry), chromium.connect(endpoint)]);
  let context: BrowserContext|undefined;
  try {
    context = await browser.newContext();
    const {page, pageErrors} = await openPage(context, bundle, options);
    const ctx = context;
    return {page, context: ctx, pageErrors, close: () => closeShared(ctx, browser)};
  } catch (e) {
    await closeShared(context, browser);
    throw e;
  }
}

async function closeShared(context: BrowserContext|undefined, browser: Browser): Promise<void> {
  await context?.close().catch(() => undefined);
  await browser.close();  // for a connected browser: disconnects, the server keeps running
}

/**
 * Launches Chromium with a fresh temporary profile (or, under Jest, opens a
 * fresh context of the worker's shared browser) and loads the entry's bundle
 * into a localhost page. Rejects when the binary is missing, with the install
 * command.
 */
export async function launchChromium(options: LaunchOptions): Promise<ChromiumPage> {
  const executablePath = options.executablePath ?? chromePath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(missingChromeMessage(executablePath));
  }
  const endpoint = sharedEndpoint(options);
  if (endpoint != null) {
    return openSharedPage(endpoint, options);
  }
  const [bundle, profileDir] = await Promise.all([
    buildBundle(options.entry),
    fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfjs-ms-norm-chromium-')),
  ]);
  const removeProfile = () => fs.promises.rm(profileDir, {recursive: true, force: true});
  let context: BrowserContext|undefined;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: [...CHROME_FLAGS, ...(options.extraArgs ?? [])],
    });
    const {page, pageErrors} = await openPage(context, bundle, options);
    const ctx = context;
    return {
      page,
      context: ctx,
      profileDir,
      pageErrors,
      close: async () => {
        await ctx.close();
        await removeProfile();
      },
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    await removeProfile();
    throw e;
  }
}
