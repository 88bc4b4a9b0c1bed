// SPDX-License-Identifier: Apache-2.0
/**
 * Writes test/fixtures/hand_assembled.ckpt and test/fixtures/writer_bn_gn.ckpt.
 * Run: npx ts-node --transpile-only test/io/make_fixtures.ts
 */
import '@tensorflow/tfjs-backend-cpu';
import * as fs from 'fs';

import * as tf from '@tensorflow/tfjs-core';

import {saveMindSporeCheckpoint} from '../../src/io';
import {HAND_ASSEMBLED_PATH, handAssembledBytes, WRITER_PATH, writerTensors} from './fixtures';

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  fs.writeFileSync(HAND_ASSEMBLED_PATH, handAssembledBytes());
  const tensors = writerTensors();
  fs.writeFileSync(WRITER_PATH, saveMindSporeCheckpoint(tensors));
  tf.dispose([...tensors.values()]);
  console.log(`wrote ${HAND_ASSEMBLED_PATH} and ${WRITER_PATH}`);
}

main();
