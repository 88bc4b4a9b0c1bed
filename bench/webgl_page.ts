// SPDX-License-Identifier: Apache-2.0
/** The page of the WebGL benchmark (bundled by browser.ts; see page_bench.ts). */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';

import * as tf from '@tensorflow/tfjs-core';

import {benchPage} from './page_bench';

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

window.bench = benchPage('webgl', finish);
