import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import * as kernelNames from '../../src/kernel_names';

import {launchHarness, missingChromeMessage} from './browser';
import {useHarness} from './webgl_test_util';

const ROOT = path.join(__dirname, '..', '..');

describe('WebGL browser harness', () => {
  const h = useHarness();

  it('runs tfjs on the webgl backend with float32 render targets', () => {
    const {info} = h.harness;
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
    const forward = await h.page.evaluate(() => window.harness.tf.env().getBool('WEBGL_CPU_FORWARD'));
    expect(forward).toBe(false);
  });

  it('registers a WebGL kernel for every kernel name of the package', async () => {
    const names = Object.values(kernelNames).filter(v => typeof v === 'string' && v.startsWith('Ms'));
    expect(names.length).toBeGreaterThanOrEqual(13);
    const missing = await h.page.evaluate(
        all => all.filter(n => window.harness.tf.getKernel(n, 'webgl') == null), names);
    expect(missing).toEqual([]);
  });

  it('removes its temporary Chromium profile when closed', async () => {
    const other = await launchHarness();
    const dir = other.profileDir;
    expect(fs.existsSync(dir)).toBe(true);
    await other.close();
    expect(fs.existsSync(dir)).toBe(false);
  }, 60000);
});

describe('WebGL browser harness without Chromium', () => {
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
  it('never loads the webgl backend at run time (its WebGL kernels import types only)', () => {
    const script = `
      require('./src');
      const loaded = Object.keys(require.cache).filter(k => k.includes('tfjs-backend-webgl'));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = execFileSync(
        process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script],
        {cwd: ROOT, encoding: 'utf8'});
    expect(JSON.parse(out)).toEqual([]);
  }, 60000);
});
