// SPDX-License-Identifier: Apache-2.0
/**
 * The comparison table: one row per element, MindSpore's column first, every
 * other column highlighted where it differs from MindSpore. Each number cell
 * carries its exact value in data-value (the test reads it).
 */
import {el} from '../dom';
import {formatNumber} from '../format';

import {Column} from './cases';
import {compareColumn, ColumnDiff} from './differs';
import {indexOf, TensorData} from './tensor_text';

function headerCell(c: Column): HTMLElement {
  return el('th', {'data-col': c.key}, el('div', {class: 'who'}, c.title),
            el('code', {class: 'setting'}, c.setting), el('div', {class: 'how'}, c.how));
}

function numberCell(key: string, v: number, klass: string): HTMLElement {
  return el('td', {class: `num ${klass}`, 'data-col': key, 'data-value': String(v)}, formatNumber(v));
}

function summaryCell(c: Column, diff: ColumnDiff|null): HTMLElement {
  if (c.values == null) {
    return el('td', {class: 'summary absent', 'data-col': c.key}, 'no such op');
  }
  if (c.key === 'ms') {
    return el('td', {class: 'summary', 'data-col': c.key}, 'reference');
  }
  if (diff == null || diff.count === 0) {
    return el('td', {class: 'summary same', 'data-col': c.key, 'data-differs': '0'},
              '= MindSpore');
  }
  return el('td', {class: 'summary differs', 'data-col': c.key, 'data-differs': String(diff.count)},
            `${diff.count} of ${c.values.length} differ (max |Δ| ${formatNumber(diff.maxAbs)})`);
}

export function comparisonTable(input: TensorData, columns: Column[]): HTMLTableElement {
  const ms = columns.find(c => c.key === 'ms')!.values!;
  const diffs = columns.map(c => c.values != null && c.key !== 'ms' ? compareColumn(c.values, ms) : null);
  const head = el('tr', {}, el('th', {}, 'index'), el('th', {}, 'input'), ...columns.map(headerCell));
  const rows = input.values.map((v, i) => el('tr', {},
      el('td', {class: 'index'}, `[${indexOf(i, input.shape).join(', ')}]`),
      numberCell('input', v, ''),
      ...columns.map((c, k) => c.values == null ?
          el('td', {class: 'absent', 'data-col': c.key}, '—') :
          numberCell(c.key, c.values[i], diffs[k]?.flags[i] ? 'differs' : ''))));
  const foot = el('tr', {class: 'foot'}, el('td', {}, ''), el('td', {}, ''),
                  ...columns.map((c, k) => summaryCell(c, diffs[k])));
  return el('table', {class: 'compare', id: 'compare-table'},
            el('thead', {}, head), el('tbody', {}, ...rows), el('tfoot', {}, foot));
}
