// SPDX-License-Identifier: Apache-2.0
/**
 * The page side of the WebGPU benchmark (bundled by webgpu.ts): the same
 * suite as the CPU run, on the webgpu backend of headless Chromium, with the
 * tests' backend set-up (webgpu selected, CPU forwarding of small tensors
 * off, so every op runs its WGSL).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';

import * as tf from '@tensorflow/tfjs-core';

import {selectBackend} from '../tools/backend_setup';
import {FitRow, Row} from './report';
import {runCases, runFit, SuiteOptions} from './suite';

/**
 * Waits until the GPU has executed everything queued so far: a one-element
 * op run after the outputs and read back with data() (dataSync returns
 * zeros on SwiftShader's WebGPU); the read completes only after every
 * earlier submitted dispatch.
 */
let sentinel: tf.Scalar|null = null;
async function finish(): Promise<void> {
  if (sentinel == null) {
    sentinel = tf.keep(tf.scalar(1));
  }
  const probe = tf.add(sentinel, 1);
  await probe.data();
  probe.dispose();
}

const log = (line: string) => console.log(line);

export const benchPage = {
  setUp: () => selectBackend('webgpu'),
  runCases: (opts: SuiteOptions): Promise<Row[]> => runCases(opts, 'webgpu', finish, false, log),
  runFit: (quick: boolean): Promise<FitRow[]> => runFit('webgpu', quick, finish, log),
};

declare global {
  interface Window {
    benchWebgpu: typeof benchPage;
  }
}

window.benchWebgpu = benchPage;
