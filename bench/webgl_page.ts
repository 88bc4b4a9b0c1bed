// SPDX-License-Identifier: Apache-2.0
/**
 * The page side of the WebGL benchmark (bundled by webgl.ts): the same
 * suite as the CPU run, on the webgl backend of headless Chromium, with the
 * tests' backend set-up (webgl selected, CPU forwarding of small tensors off,
 * so every op runs its shaders).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';

import * as tf from '@tensorflow/tfjs-core';

import {selectBackend} from '../tools/backend_setup';
import {FitRow, Row} from './report';
import {runCases, runFit, SuiteOptions} from './suite';

/**
 * Blocks until the GPU has executed everything queued so far. gl.finish()
 * does not (Chromium returns at once), so a one-element shader is run after
 * the outputs and read back: readPixels completes only when every earlier
 * command of the context has executed.
 */
let sentinel: tf.Scalar|null = null;
function finish(): void {
  if (sentinel == null) {
    sentinel = tf.keep(tf.scalar(1));
  }
  const probe = tf.add(sentinel, 1);
  probe.dataSync();
  probe.dispose();
}

const log = (line: string) => console.log(line);

export const benchPage = {
  setUp: () => selectBackend('webgl'),
  runCases: (opts: SuiteOptions): Promise<Row[]> => runCases(opts, 'webgl', finish, false, log),
  runFit: (quick: boolean): Promise<FitRow[]> => runFit('webgl', quick, finish, log),
  numTensors: (): number => tf.memory().numTensors,
};

declare global {
  interface Window {
    bench: typeof benchPage;
  }
}

window.bench = benchPage;
