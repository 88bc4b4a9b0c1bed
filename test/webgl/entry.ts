/**
 * Bundle entry for the browser harness (see browser.ts): tfjs core with the
 * cpu and webgl backends, tfjs-layers, this package (which registers its
 * kernels for both backends), the float64 references of test_util, and the
 * page-side runners, all on `window.harness`.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as ms from '../../src';
import * as refs from '../test_util';
import {webgpuPageFunctions} from '../webgpu/page_webgpu';
import {pageFunctions} from './page';

window.harness = {tf, tfl, ms, refs, ...pageFunctions};
window.webgpu = webgpuPageFunctions;
