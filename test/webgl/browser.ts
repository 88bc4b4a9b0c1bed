/**
 * Headless Chromium for the WebGL suites and the benchmarks: bundles
 * test/webgl/entry.ts (tfjs core + cpu + webgl + layers, this package, the
 * page-side runners and float64 references) with esbuild, launches Chromium
 * through playwright-core with WebGL2 on SwiftShader, and injects the bundle
 * into an empty page at http://localhost (routed, not served: a secure
 * context, so WebGPU works with `--enable-unsafe-webgpu`); the page exposes `window.harness`.
 *
 *   const h = await launchHarness();
 *   const out = await h.page.evaluate(r => window.harness.runKernel(r), run);
 *   await h.close();
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {BrowserContext, chromium, Page} from 'playwright-core';

import type {WebGLInfo} from './page';

export type {WebGLInfo};

export const DEFAULT_CHROME_PATH = '/usr/lib/chromium/chromium';

/**
 * Flags measured to work here (see BROWSER_TESTING.md): software WebGL2
 * through ANGLE + SwiftShader, and no background network traffic (the
 * machine has no network).
 */
export const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** The Chromium binary: $CHROME_PATH, else Debian's real binary (not the /usr/bin wrapper). */
export function chromePath(): string {
  return process.env.CHROME_PATH || DEFAULT_CHROME_PATH;
}

export function missingChromeMessage(executablePath: string): string {
  return `Chromium not found at ${executablePath}: install it with ` +
      '`apt-get update && apt-get install -y chromium` or set CHROME_PATH';
}

const ENTRY = path.join(__dirname, 'entry.ts');

/** The harness page's address: any http://localhost page is a secure context. */
const PAGE_URL = 'http://localhost/';

let bundlePromise: Promise<string>|undefined;

/** The iife bundle of entry.ts (built once per process). */
export function buildBundle(): Promise<string> {
  if (bundlePromise == null) {
    bundlePromise = esbuild
                        .build({
                          entryPoints: [ENTRY],
                          bundle: true,
                          write: false,
                          format: 'iife',
                          platform: 'browser',
                          target: 'es2018',
                          logLevel: 'silent',
                          define: {'process.env.NODE_ENV': '"production"'},
                        })
                        .then(result => result.outputFiles[0].text);
  }
  return bundlePromise;
}


export interface Harness {
  page: Page;
  context: BrowserContext;
  /** Backend, WEBGL_VERSION, WEBGL_RENDER_FLOAT32_ENABLED and renderer (harness.test.ts prints them). */
  info: WebGLInfo;
  /** The temporary Chromium profile, removed by close(). */
  profileDir: string;
  /** Console errors and uncaught page errors, newest last (for failure messages). */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  executablePath?: string;
  /** Extra Chromium flags (e.g. '--enable-unsafe-webgpu'). */
  extraArgs?: string[];
}

/**
 * Launches Chromium with a fresh temporary profile, loads the bundle, selects
 * the webgl backend (asserting it really is webgl) and turns off tfjs's CPU
 * forwarding of small tensors so every kernel runs its shader.
 * Fails (rejects) when the binary is missing, with the install command.
 */
export async function launchHarness(options: LaunchOptions = {}): Promise<Harness> {
  const executablePath = options.executablePath ?? chromePath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(missingChromeMessage(executablePath));
  }
  const [bundle, profileDir] = await Promise.all(
      [buildBundle(), fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfjs-ms-norm-chromium-'))]);
  const removeProfile = () => fs.promises.rm(profileDir, {recursive: true, force: true});
  let context: BrowserContext|undefined;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: [...CHROME_FLAGS, ...(options.extraArgs ?? [])],
    });
    const page = context.pages()[0] ?? await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', e => pageErrors.push(String(e)));
    page.on('console', m => {
      if (m.type() === 'error') {
        pageErrors.push(m.text());
      }
    });
    // A page from http://localhost is a secure context, which WebGPU needs
    // (about:blank has no navigator.gpu); nothing is really served.
    await page.route(PAGE_URL, route => route.fulfill({contentType: 'text/html', body: '<!doctype html>'}));
    await page.goto(PAGE_URL);
    await page.addScriptTag({content: bundle});
    const info = await page.evaluate(() => window.harness.setUp());
    if (info.backend !== 'webgl') {
      throw new Error(`expected the webgl backend in Chromium, got '${info.backend}'`);
    }
    const ctx = context;
    return {
      page,
      context: ctx,
      info,
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
