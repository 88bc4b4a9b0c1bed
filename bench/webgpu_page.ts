// SPDX-License-Identifier: Apache-2.0
/** The page of the WebGPU benchmark (bundled by browser.ts; see page_bench.ts). */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';

import * as tf from '@tensorflow/tfjs-core';

import {benchPage} from './page_bench';

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

window.bench = benchPage('webgpu', finish);
