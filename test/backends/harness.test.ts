// SPDX-License-Identifier: Apache-2.0
import * as fs from 'fs';
import * as path from 'path';

import {CHROME_FLAGS, PAGE_URL, SHARED_ENDPOINTS_ENV} from '../../tools/chromium';

import {describeEachBackend} from './backend_under_test';
import {TEST_BACKENDS} from './backends';
import {launchHarness, missingChromeMessage} from './browser_harness';
import {bundleForNode, bundleScratch, runNode} from '../child_node';
import {KERNEL_NAMES} from '../test_util';


describeEachBackend('the test harness', b => {
  it('runs the specs on the backend they name', async () => {
    const backend = await b.evaluate(h => h.tf.getBackend(), null);
    expect(backend).toBe(b.backend);
  });

  it('has a kernel of the package for every kernel name on this backend', async () => {
    expect(KERNEL_NAMES.length).toBeGreaterThanOrEqual(13);
    const missing = await b.evaluate(
        (h, arg) => arg.names.filter(n => h.tf.getKernel(n, arg.backend) == null),
        {names: KERNEL_NAMES, backend: b.backend});
    expect(missing).toEqual([]);
  });
});

describe('the Chromium flags', () => {
  it('turn WebGPU on (--enable-unsafe-webgpu) and keep WebGL on SwiftShader', () => {
    expect(CHROME_FLAGS).toEqual(expect.arrayContaining(
        ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--headless=new']));
  });
});

describeEachBackend('the browser harness', b => {
  it('serves the page from localhost, a secure context', async () => {
    const where = await b.page.evaluate(() => [location.href, window.isSecureContext]);
    expect(where).toEqual([PAGE_URL, true]);
  });
}, b => b.where === 'browser');

describeEachBackend('WebGL in the browser harness', b => {
  it('runs tfjs on the webgl backend with float32 render targets', async () => {
    const info = await b.evaluate(h => h.setUp('webgl'), null);
    // Printed once per test run, so a CI log shows what the kernels ran on.
    console.log(
        `WebGL harness: WEBGL_VERSION=${info.webglVersion} ` +
        `WEBGL_RENDER_FLOAT32_ENABLED=${info.renderFloat32} renderer="${info.renderer}"`);
    expect(info.backend).toBe('webgl');
    expect(info.webglVersion).toBeGreaterThanOrEqual(1);
    // Without float32 render targets tfjs falls back to float16 textures and
    // the 1e-4 relative tolerances of these suites would not hold.
    expect(info.renderFloat32).toBe(true);
  });

  it('keeps tfjs from forwarding small tensors to the CPU', async () => {
    const forward = await b.evaluate(h => h.tf.env().getBool('WEBGL_CPU_FORWARD'), null);
    expect(forward).toBe(false);
  });
}, b => b.backend === 'webgl');

describe('the browser harness\'s launcher', () => {
  it('lists every backend once', () => {
    const ids = TEST_BACKENDS.map(b => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('opens the specs\' pages in the Jest worker\'s shared browser (global_setup.ts)', async () => {
    const endpoints = (process.env[SHARED_ENDPOINTS_ENV] ?? '').split(',');
    expect(endpoints.length).toBeGreaterThan(0);  // one per Jest worker
    expect(endpoints.every(e => e.startsWith('ws://'))).toBe(true);
    const shared = await launchHarness();
    try {
      // A context of a connected browser: no profile of its own, same browser version.
      expect(shared.profileDir).toBeUndefined();
      expect(shared.context.browser()?.isConnected()).toBe(true);
    } finally {
      await shared.close();
    }
  }, 60000);

  it('removes its temporary Chromium profile when closed', async () => {
    const other = await launchHarness({ownBrowser: true});
    const dir = other.profileDir ?? '';
    expect(fs.existsSync(dir)).toBe(true);
    await other.close();
    expect(fs.existsSync(dir)).toBe(false);
  }, 60000);
});

describe('the browser harness without Chromium', () => {
  it('fails with the install command when the binary is missing', async () => {
    const where = '/nonexistent/chromium';
    await expect(launchHarness({executablePath: where})).rejects.toThrow(missingChromeMessage(where));
    expect(missingChromeMessage(where))
        .toBe('Chromium not found at /nonexistent/chromium: install it with ' +
              '`apt-get update && apt-get install -y chromium` or set CHROME_PATH');
  });

  it('honours CHROME_PATH', async () => {
    const saved = process.env.CHROME_PATH;
    process.env.CHROME_PATH = '/nonexistent/from-env';
    try {
      await expect(launchHarness()).rejects.toThrow('Chromium not found at /nonexistent/from-env');
    } finally {
      if (saved == null) {
        delete process.env.CHROME_PATH;
      } else {
        process.env.CHROME_PATH = saved;
      }
    }
  });
});

describe('the package in Node', () => {
  it('never loads the webgl backend at run time (its WebGL kernels import types only)', async () => {
    const scratch = bundleScratch('webgl-probe');
    try {
      const entry = path.join(scratch, 'probe.ts');
      fs.writeFileSync(entry, `
        import 'tfjs-mindspore-norm';
        const loaded = Object.keys(require.cache).filter(k => k.includes('tfjs-backend-webgl'));
        process.stdout.write(JSON.stringify(loaded));`);
      const out = runNode(await bundleForNode(entry, path.join(scratch, 'probe.js')));
      expect(JSON.parse(out)).toEqual([]);
    } finally {
      fs.rmSync(scratch, {recursive: true, force: true});
    }
  }, 60000);
});
