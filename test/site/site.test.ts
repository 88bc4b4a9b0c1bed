// SPDX-License-Identifier: Apache-2.0
/**
 * The "see the differences" page (site/), built by the project's site build
 * and opened in headless Chromium: it loads without console errors, every
 * number it shows equals a float64 reference (and MindSpore's column equals
 * the package's ops run in Node), choosing another op or editing the tensor
 * redraws the table, and screenshots land in test-output/ for a person.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as fs from 'fs';
import * as path from 'path';
import {Page} from 'playwright-core';

import * as ms from '../../src';
import {formatNumber} from '../../site/src/format';
import {trainingBatches} from '../../site/src/momentum/batches';

import {SEED_CASES} from '../fixtures/seeds';
import {expectClose, seedValues} from '../test_util';

import {expectedColumns, movingStatsAfterEachStep} from './expected';
import {launchSite, SiteBrowser} from './open_site';
import {afterRender, readPlot, readTable, TableView} from './page_reads';

const {buildSite} = require('../../scripts/build_site.js') as {buildSite(): Promise<string>};

const ROOT = path.resolve(__dirname, '../..');
const OUTPUT = path.join(ROOT, 'test-output');

/** float32 on a GPU against float64: relative to the value and to the column's scale. */
function expectNear(actual: number[], expected: number[], what: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  try {
    expectClose(actual, expected, 1e-6 * scale, 2e-5);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/** Every column equals its reference; highlights follow clear differences from MindSpore. */
function checkTable(view: TableView): void {
  const shape = shapeOf(view.text);
  const expected = expectedColumns(view.op, view.variant, view.input, shape);
  const ref = expected.ms!;
  const scale = Math.max(...ref.map(Math.abs));
  for (const [key, values] of Object.entries(expected)) {
    const where = `${view.op}/${view.variant} ${key}`;
    if (values == null) {
      expect(view.columns[key]).toBeNull();
      continue;
    }
    expectNear(view.columns[key]!, values, where);
    expect(view.shown[key]).toEqual(view.columns[key]!.map(formatNumber));
    if (key === 'ms') {
      continue;
    }
    values.forEach((v, i) => {
      const gap = Math.abs(v - ref[i]);
      if (gap > 1e-2 * Math.abs(ref[i]) + 1e-4 * scale) {
        expect([where, i, view.highlighted[key][i]]).toEqual([where, i, true]);
      } else if (gap < 1e-6 * Math.abs(ref[i]) + 1e-7 * scale) {
        expect([where, i, view.highlighted[key][i]]).toEqual([where, i, false]);
      }
    });
  }
}

function shapeOf(text: string): number[] {
  const shape: number[] = [];
  for (let v: unknown = JSON.parse(text); Array.isArray(v); v = v[0]) {
    shape.push(v.length);
  }
  return shape;
}

/** MindSpore's column computed by the package itself, in Node on the cpu backend. */
function nodeMindSpore(op: string, variant: string, x: number[], shape: number[]): number[] {
  return tf.tidy(() => {
    const t = tf.tensor(x, shape);
    const c = shape[1];
    switch (op) {
      case 'l2Normalize':
        return Array.from(ms.l2Normalize(t, -1).dataSync());
      case 'lrn':
        return Array.from(ms.lrn(t).dataSync());
      case 'groupNorm': {
        const numGroups = c % 2 === 0 ? 2 : 1;
        if (variant === 'op') {
          return Array.from(ms.groupNorm(t, numGroups).dataSync());
        }
        const layer = ms.layers.groupNorm(
            {numGroups, numChannels: c, affine: false, gammaInit: 2, betaInit: 0.5});
        const out = Array.from((layer.apply(t) as tf.Tensor).dataSync());
        layer.dispose();
        return out;
      }
      case 'batchNorm': {
        const layer = ms.layers.batchNorm1d({numFeatures: c});
        const y = layer.apply(t, variant === 'train' ? {training: true} : {}) as tf.Tensor;
        const out = Array.from(y.dataSync());
        layer.dispose();
        return out;
      }
      case 'layerNorm': {
        const d = shape[shape.length - 1];
        return Array.from(ms.layerNorm(t, tf.ones([d]), tf.zeros([d]),
                                       {beginNormAxis: -1, beginParamsAxis: -1}).y.dataSync());
      }
      case 'rmsNorm':
        return Array.from(ms.rmsNorm(t, tf.ones([shape[shape.length - 1]]), 1e-6).y.dataSync());
      default:
        throw new Error(op);
    }
  });
}

describe('site (headless Chromium)', () => {
  let browser: SiteBrowser;
  let page: Page;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const dist = await buildSite();
    fs.mkdirSync(OUTPUT, {recursive: true});
    browser = await launchSite(dist);
    page = await browser.open('?backend=webgl');
  }, 180000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads on webgl and says so, without console errors', async () => {
    expect(await page.evaluate(() => document.documentElement.dataset.state)).toBe('ready');
    expect(await page.evaluate(() => document.documentElement.dataset.backend)).toBe('webgl');
    const banner = await page.textContent('#backend');
    expect(banner).toContain('Computed on webgl');
    expect(banner).toContain('kernels there: native');
    expect(browser.errors).toEqual([]);
  });

  it('shows every op\'s columns equal to float64 references and to the package in Node', async () => {
    const ops = await page.$$eval('#op-select option', os => os.map(o => (o as HTMLOptionElement).value));
    expect(ops).toEqual(['l2Normalize', 'lrn', 'groupNorm', 'batchNorm', 'layerNorm', 'rmsNorm']);
    for (const op of ops) {
      if (op !== 'l2Normalize') {
        expect(await afterRender(page, async () => {
          await page.selectOption('#op-select', op);
        })).toBe('ready');
      }
      const variants = await page.$$eval('#variant-select option',
                                          os => os.map(o => (o as HTMLOptionElement).value));
      for (const variant of variants.length > 0 ? variants : ['']) {
        if (variant !== '' && variant !== variants[0]) {
          await afterRender(page, async () => {
            await page.selectOption('#variant-select', variant);
          });
        }
        const view = await readTable(page);
        expect([view.op, view.variant]).toEqual([op, variant]);
        checkTable(view);
        expectNear(view.columns.ms!, nodeMindSpore(op, variant, view.input, shapeOf(view.text)),
                   `${op}/${variant} ms vs the package in Node`);
      }
    }
    expect(browser.errors).toEqual([]);
  }, 120000);

  it('shows the seeds\' examples: the tiny L2 input and BatchNorm1d in training', async () => {
    const seed = (id: string) => SEED_CASES.find(c => c.id === id)!;
    const tinyMs = seed('seed-l2normalize-2-tiny');
    const tinyTorch = seed('seed-torch-normalize-p2-tiny');
    await afterRender(page, async () => {
      await page.selectOption('#op-select', 'l2Normalize');
    });
    const l2 = await readTable(page);
    // The page's first row is the seed input, normalized along its own axis.
    expect(l2.input.slice(0, 3)).toEqual(seedValues(tinyMs, 'input'));
    expectClose(l2.columns.ms!.slice(0, 3), seedValues(tinyMs, 'expected'), 0, tinyMs.rtol);
    expectClose(l2.columns.torch!.slice(0, 3), seedValues(tinyTorch, 'expected'), tinyTorch.atol);
    const bnSeed = seed('seed-batchnorm1d-train-1');
    await afterRender(page, async () => {
      await page.selectOption('#op-select', 'batchNorm');
    });
    const bn = await readTable(page);
    expect(bn.variant).toBe('train');
    expect(bn.input).toEqual(seedValues(bnSeed, 'input'));
    expectClose(bn.columns.ms!, seedValues(bnSeed, 'expected'), bnSeed.atol);
  }, 60000);

  it('follows edits of the tensor, generated tensors, and says what is wrong with bad ones', async () => {
    await afterRender(page, async () => {
      await page.selectOption('#op-select', 'layerNorm');
    });
    const typed = '[[0.001, -0.002, 0.004], [5, 6, 9]]';
    expect(await afterRender(page, async () => {
      await page.fill('#tensor-input', typed);
    })).toBe('ready');
    const edited = await readTable(page);
    expect(edited.input).toEqual([0.001, -0.002, 0.004, 5, 6, 9]);
    checkTable(edited);

    await afterRender(page, async () => {
      await page.selectOption('#op-select', 'lrn');
    });
    await page.selectOption('#scale', '0.01');
    await afterRender(page, async () => {
      await page.click('#generate');
    });
    const generated = await readTable(page);
    expect(shapeOf(generated.text)).toEqual([1, 6, 1, 2]);
    expect(Math.max(...generated.input.map(Math.abs))).toBeLessThan(0.1);
    checkTable(generated);

    expect(await afterRender(page, async () => {
      await page.fill('#tensor-input', '[[1, 2], [3]]');
    })).toBe('error');
    expect(await page.textContent('#input-error')).toContain('not rectangular');
    expect(await afterRender(page, async () => {
      await page.fill('#tensor-input', '[[1, 2], [3, 4]]');
    })).toBe('error');
    expect(await page.textContent('#input-error')).toContain('rank-4');
    expect(browser.errors).toEqual([]);
  }, 90000);

  it('plots the moving statistics of every momentum convention on the same batches', async () => {
    const batches = trainingBatches();
    // Layer momentum m (MindSpore nn, Keras) is op momentum 1 - m (mint, PyTorch).
    const expected: Record<string, ReturnType<typeof movingStatsAfterEachStep>> = {
      'nn-0.9': movingStatsAfterEachStep(batches, 1 - 0.9, 'unbiased'),
      'mint-0.1': movingStatsAfterEachStep(batches, 0.1, 'unbiased'),
      'keras-0.99': movingStatsAfterEachStep(batches, 1 - 0.99, 'biased'),
      'keras-0.9': movingStatsAfterEachStep(batches, 1 - 0.9, 'biased'),
      'nn-0.1': movingStatsAfterEachStep(batches, 1 - 0.1, 'unbiased'),
    };
    const means = await readPlot(page, 'momentum-mean');
    const variances = await readPlot(page, 'momentum-variance');
    for (const [id, {means: m, variances: v}] of Object.entries(expected)) {
      expect(means[id].map(p => p[0])).toEqual(m.map((_, i) => i));
      expectNear(means[id].map(p => p[1]), m, `${id} moving mean`);
      expectNear(variances[id].map(p => p[1]), v, `${id} moving variance`);
    }
    expectNear(means.batch.map(p => p[1]),
               batches.map(b => b.reduce((a, c) => a + c, 0) / b.length), 'batch means');
    const gap = Number(await page.getAttribute('#gap-nn-mint', 'data-gap'));
    expect(gap).toBeLessThan(1e-5);
  });

  it('plots L2Normalize\'s output norm and marks the seed input', async () => {
    const curves = await readPlot(page, 'l2-plot');
    const knees: Record<string, (r: number) => number> = {
      ms: r => r / Math.sqrt(Math.max(r * r, 1e-4)),
      torch: r => r / Math.max(r, 1e-12),
      tf: r => r / Math.sqrt(Math.max(r * r, 1e-12)),
    };
    for (const [id, f] of Object.entries(knees)) {
      expect(curves[id].length).toBe(65);
      expectNear(curves[id].map(p => p[1]), curves[id].map(p => f(p[0])), `${id} norm curve`);
    }
    const seed = await page.$$eval('.seed-values', spans => Object.fromEntries(
        spans.map(s => [(s as HTMLElement).dataset.id, JSON.parse((s as HTMLElement).dataset.values!)])));
    expectNear(seed.ms, [1e-8, 2e-8, 3e-8], 'seed MindSpore');
    expectNear(seed.torch, [1, 2, 3].map(v => v / Math.sqrt(14)), 'seed PyTorch');
    expectNear(seed.tf, [1e-4, 2e-4, 3e-4], 'seed TensorFlow');
    expect(await page.$$('#l2-plot circle.mark')).toHaveLength(2);
  });

  it('writes a screenshot of the first view for a person to look at', async () => {
    await afterRender(page, async () => {
      await page.selectOption('#op-select', 'l2Normalize');
    });
    const file = path.join(OUTPUT, 'site.png');
    await page.screenshot({path: file, fullPage: true});
    expect(fs.statSync(file).size).toBeGreaterThan(10000);
    expect(browser.errors).toEqual([]);
  });

  it('runs on WebGPU where the browser has it, else falls back and says so', async () => {
    const auto = await browser.open('');
    try {
      const backend = await auto.evaluate(() => document.documentElement.dataset.backend!);
      const banner = (await auto.textContent('#backend'))!;
      expect(banner).toContain(`Computed on ${backend}`);
      if (backend !== 'webgpu') {
        expect(banner).toContain('Fell back: webgpu');
      }
      checkTable(await readTable(auto));
      await auto.screenshot({path: path.join(OUTPUT, `site-${backend}.png`), fullPage: true});
    } finally {
      await auto.close();
    }
    expect(browser.errors).toEqual([]);
  }, 120000);
});
