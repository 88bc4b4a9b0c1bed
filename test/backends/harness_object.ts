// SPDX-License-Identifier: Apache-2.0
/**
 * The object specs' page functions receive, built from the same modules in
 * Node and in Chromium: tfjs core and layers, this package, the float64
 * references of test_util and the runners. The backends themselves are
 * imported by the caller (node_backends.ts, page_entry.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as ms from '../../src';
import * as refs from '../test_util';

import {PageHarness, pageFunctions} from './runner';

export function makeHarness(): PageHarness {
  return {tf, tfl, ms, refs, ...pageFunctions};
}
