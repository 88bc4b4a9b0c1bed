// SPDX-License-Identifier: Apache-2.0
/**
 * Section 1: pick an op, paste or generate a tensor, see the columns. Every
 * change re-runs the op; the section's data-state is 'busy' while it runs and
 * 'ready' (or 'error') after, and data-renders counts finished runs.
 */
import * as tf from '@tensorflow/tfjs-core';

import {byId, el} from '../dom';
import {normal, seededRandom} from '../random';

import {OP_CASES, OpCase} from './cases';
import {comparisonTable} from './table';
import {formatTensor, parseTensor, TensorData} from './tensor_text';

const MAX_ELEMENTS = 256;

export function setUpCompare(): Promise<void> {
  const section = byId('compare');
  const opSelect = byId<HTMLSelectElement>('op-select');
  const variantSelect = byId<HTMLSelectElement>('variant-select');
  const text = byId<HTMLTextAreaElement>('tensor-input');
  const scale = byId<HTMLSelectElement>('scale');
  const message = byId('input-error');
  let generated = 0;
  let renders = 0;
  let queue = Promise.resolve();

  for (const c of OP_CASES) {
    opSelect.append(el('option', {value: c.id}, c.label));
  }
  const current = (): OpCase => OP_CASES.find(c => c.id === opSelect.value)!;

  const render = async () => {
    section.dataset.state = 'busy';
    const op = current();
    let input: TensorData;
    try {
      input = parseTensor(text.value);
      const bad = input.values.length > MAX_ELEMENTS ?
          `at most ${MAX_ELEMENTS} values, please.` : op.checkShape(input.shape);
      if (bad != null) {
        throw new Error(`${op.label} ${bad}`);
      }
    } catch (e) {
      message.textContent = (e as Error).message;
      section.dataset.state = 'error';
      section.dataset.renders = String(++renders);
      return;
    }
    message.textContent = '';
    const x = tf.tensor(input.values, input.shape);
    try {
      const columns = await op.run(x, variantSelect.value);
      byId('compare-table').replaceWith(comparisonTable(input, columns));
      byId('op-summary').textContent = op.summary;
      section.dataset.state = 'ready';
    } catch (e) {
      message.textContent = `${op.label} failed: ${(e as Error).message}`;
      section.dataset.state = 'error';
    } finally {
      x.dispose();
      section.dataset.renders = String(++renders);
    }
  };
  // Runs one at a time, in order: a quick second edit waits for the first run.
  const rerun = () => queue = queue.then(render);

  const showOp = () => {
    const op = current();
    variantSelect.replaceChildren(
        ...(op.variants ?? []).map(v => el('option', {value: v.id}, v.label)));
    byId('variant-label').hidden = op.variants == null;
    text.value = formatTensor(op.defaultInput);
    return rerun();
  };
  opSelect.addEventListener('change', showOp);
  variantSelect.addEventListener('change', rerun);
  byId('run').addEventListener('click', rerun);
  let typing: ReturnType<typeof setTimeout>|undefined;
  text.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(rerun, 400);
  });
  byId('generate').addEventListener('click', () => {
    const shape = current().generatedShape;
    const draw = normal(seededRandom(1000 + ++generated));
    const s = Number(scale.value);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({length: size}, () => Number((draw() * s).toPrecision(3)));
    text.value = formatTensor({values, shape});
    rerun();
  });
  return showOp();
}
