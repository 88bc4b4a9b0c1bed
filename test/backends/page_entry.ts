// SPDX-License-Identifier: Apache-2.0
/**
 * Bundle entry for the browser backends (see browser_harness.ts): tfjs's
 * browser backends and the harness object, on `window.harness`. A browser
 * backend joins the suite with one import here and one entry in backends.ts.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';

import {makeHarness} from './harness_object';
import type {PageHarness} from './runner';

declare global {
  interface Window {
    harness: PageHarness;
  }
}

window.harness = makeHarness();
