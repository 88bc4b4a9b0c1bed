// SPDX-License-Identifier: Apache-2.0
/**
 * The kernel contract (src/kernel_names.ts, rendered into KERNELS.md): the
 * file is current, every kernel is documented, the documented inputs are the
 * Inputs type's, the documented gradients are the registered ones, and each
 * kernel run with its documented inputs and attributes returns the documented
 * outputs.
 */
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';

import '../../src';
import {KERNELS_MD_PATH, readKernelContracts, renderKernelsMarkdown} from '../../scripts/kernel_contracts';
import {KERNEL_EXAMPLES} from './kernel_examples';
import {KERNEL_NAMES} from '../test_util';

const contracts = readKernelContracts();

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the kernel contract', () => {
  it('KERNELS.md is the rendering of src/kernel_names.ts (run `npm run kernels:md`)', () => {
    expect(fs.readFileSync(KERNELS_MD_PATH, 'utf8')).toBe(renderKernelsMarkdown(contracts));
  });

  it('documents every kernel name, each once', () => {
    expect(contracts.map(c => c.name)).toEqual(KERNEL_NAMES);
  });

  for (const c of contracts) {
    describe(c.name, () => {
      it('documents the inputs of its Inputs type, in order, and at least one output', () => {
        expect(c.inputs.map(t => ({name: t.name, optional: t.optional}))).toEqual(c.inputKeys);
        expect(c.inputs.every(t => t.dtype === 'float32')).toBe(true);
        expect(c.outputs.length).toBeGreaterThanOrEqual(1);
      });

      it('documents the gradient tfjs has registered for it', () => {
        const documented = c.gradient.split(' ')[0];
        if (documented === 'none') {
          expect(tf.getGradient(c.name)).toBeUndefined();
        } else {
          expect(KERNEL_NAMES).toContain(documented);
          expect(tf.getGradient(c.name)).toBeDefined();
        }
      });

      it('returns the documented outputs for documented inputs and attributes', () => {
        const example = KERNEL_EXAMPLES[c.name];
        expect(example).toBeDefined();
        expect(Object.keys(example.attrs).sort()).toEqual(c.attrs.map(a => a.name).sort());
        const before = tf.memory().numTensors;
        const inputs = Object.fromEntries(
            Object.entries(example.inputs).map(([k, shape]) => [k, tf.randomUniform(shape, 0.5, 2)]));
        const out = tf.engine().runKernel(c.name, inputs, example.attrs as {});
        const outputs = Array.isArray(out) ? out : [out];
        expect(outputs.length).toBe(c.outputs.length);
        expect(outputs.map(t => t.dtype)).toEqual(c.outputs.map(t => t.dtype));
        expect(outputs.map(t => t.shape)).toEqual(example.outputShapes);
        tf.dispose([...outputs, ...Object.values(inputs)]);
        expect(tf.memory().numTensors).toBe(before);
      });
    });
  }
});
