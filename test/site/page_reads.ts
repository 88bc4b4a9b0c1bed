// SPDX-License-Identifier: Apache-2.0
/** What the test reads off the page (plain data: page.evaluate returns no DOM nodes). */
import {Page} from 'playwright-core';

export interface TableView {
  op: string;
  variant: string;
  input: number[];
  text: string;
  /** Column key -> displayed values (exact, from data-value), or null for a '—' column. */
  columns: Record<string, number[]|null>;
  /** Column key -> per-cell highlight. */
  highlighted: Record<string, boolean[]>;
  /** Column key -> the text shown in each cell. */
  shown: Record<string, string[]>;
  error: string;
}

export function readTable(page: Page): Promise<TableView> {
  return page.evaluate(() => {
    const q = (s: string) => document.querySelector(s) as HTMLElement;
    const rows = Array.from(document.querySelectorAll('#compare-table tbody tr'));
    const keys = Array.from(document.querySelectorAll('#compare-table thead th[data-col]'))
                     .map(th => (th as HTMLElement).dataset.col!);
    const columns: Record<string, number[]|null> = {};
    const highlighted: Record<string, boolean[]> = {};
    const shown: Record<string, string[]> = {};
    for (const key of ['input', ...keys]) {
      const cells = rows.map(tr => tr.querySelector(`td[data-col="${key}"]`) as HTMLElement);
      const absent = cells.every(td => td.classList.contains('absent'));
      columns[key] = absent ? null : cells.map(td => Number(td.dataset.value));
      highlighted[key] = cells.map(td => td.classList.contains('differs'));
      shown[key] = cells.map(td => td.textContent ?? '');
    }
    return {
      op: (q('#op-select') as HTMLSelectElement).value,
      variant: (q('#variant-select') as HTMLSelectElement).value,
      input: columns.input!, text: (q('#tensor-input') as HTMLTextAreaElement).value,
      columns, highlighted, shown, error: q('#input-error').textContent ?? '',
    };
  });
}

/** Runs an action in the page's first section and waits until the table it starts is drawn. */
export async function afterRender(page: Page, action: () => Promise<void>): Promise<string> {
  const before = await page.evaluate(() => Number(document.getElementById('compare')!.dataset.renders));
  await action();
  await page.waitForFunction(n => {
    const s = document.getElementById('compare')!;
    return Number(s.dataset.renders) > n && s.dataset.state !== 'busy';
  }, before, {timeout: 60000});
  return page.evaluate(() => document.getElementById('compare')!.dataset.state!);
}

/** Every series of a plot: id -> [x, y] points. */
export function readPlot(page: Page, plotId: string): Promise<Record<string, Array<[number, number]>>> {
  return page.evaluate(id => {
    const out: Record<string, Array<[number, number]>> = {};
    document.querySelectorAll(`#${id} g[data-series]`).forEach(g => {
      const el = g as SVGGElement;
      out[el.dataset.series!] = JSON.parse(el.dataset.points!);
    });
    return out;
  }, plotId);
}
