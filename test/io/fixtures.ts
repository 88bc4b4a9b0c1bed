// SPDX-License-Identifier: Apache-2.0
/**
 * The two committed checkpoint fixtures, for a small network with a
 * BatchNorm2d and a GroupNorm(2 groups) over 4 channels:
 *
 * - test/fixtures/hand_assembled.ckpt: bytes assembled here from the wire
 *   format (test/io/wire.ts), laid out as MindSpore writes them: a sliced
 *   parameter, Float16 and BFloat16 parameters, Int64 counters with both
 *   scalar conventions, optimizer state and a map tensor.
 * - test/fixtures/writer_bn_gn.ckpt: made by saveMindSporeCheckpoint from
 *   `writerTensors()`; `writerFixtureByHand()` assembles the same bytes
 *   independently.
 *
 * Regenerate both with `npx ts-node --transpile-only test/io/make_fixtures.ts`.
 */
import * as path from 'path';

import * as tf from '@tensorflow/tfjs-core';

import {bits16, checkpoint, f32, i32, i64, mapTensorValue, tensorValue, u8} from './wire';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures');
export const HAND_ASSEMBLED_PATH = path.join(FIXTURE_DIR, 'hand_assembled.ckpt');
export const WRITER_PATH = path.join(FIXTURE_DIR, 'writer_bn_gn.ckpt');

export const CONV_WEIGHT = [0.5, -1.25, 2, 0.125, -0.75, 1.5, -2.5, 3];  // [4, 2, 1, 1]

export function handAssembledBytes(): Uint8Array {
  return checkpoint([
    // A parameter split into two consecutive values, each repeating the full dims.
    tensorValue('conv.weight', {dims: [4, 2, 1, 1], type: 'Float32', content: f32(CONV_WEIGHT.slice(0, 3))}),
    tensorValue('conv.weight', {dims: [4, 2, 1, 1], type: 'Float32', content: f32(CONV_WEIGHT.slice(3))}),
    tensorValue('bn.gamma', {dims: [4], type: 'Float32', content: f32([1, 1.5, 0.5, 2])}),
    tensorValue('bn.beta', {dims: [4], type: 'Float32', content: f32([0, 0.25, -0.25, 1])}),
    tensorValue('bn.moving_mean', {dims: [4], type: 'Float32', content: f32([0.1, -0.2, 0.3, 0])}),
    tensorValue('bn.moving_variance', {dims: [4], type: 'Float32', content: f32([1, 0.5, 2, 4])}),
    // float16 bits of 1, 2, 0.5, -1.5
    tensorValue('gn.gamma', {dims: [4], type: 'Float16', content: bits16([0x3c00, 0x4000, 0x3800, 0xbe00])}),
    // bfloat16 bits of 0, 0.375, -3, 3.140625
    tensorValue('gn.beta', {dims: [4], type: 'BFloat16', content: bits16([0x0000, 0x3ec0, 0xc040, 0x4049])}),
    tensorValue('moment1.bn.gamma', {dims: [4], type: 'Float32', content: f32([0.01, 0.02, 0.03, 0.04])}),
    tensorValue('moment2.bn.gamma', {dims: [4], type: 'Float32', content: f32([1e-4, 2e-4, 3e-4, 4e-4])}),
    tensorValue('global_step', {dims: [1], type: 'Int32', content: i32([120])}),
    tensorValue('learning_rate', {dims: [0], type: 'Float32', content: f32([0.01])}),
    tensorValue('beta1_power', {dims: [0], type: 'Float32', content: f32([0.9])}),
    // ModelCheckpoint's append_info: shape () written as empty dims (newer
    // MindSpore) and as dims [0] (older).
    tensorValue('epoch_num', {dims: [], type: 'Int64', content: i64([3])}),
    tensorValue('step_num', {dims: [0], type: 'Int64', content: i64([120])}),
    tensorValue('embedding.ids', {dims: [3], type: 'Int64', content: i64([-5, 0, 70000])}),
    tensorValue('dropout.keep', {dims: [2, 2], type: 'Bool', content: u8([1, 0, 0, 1])}),
    mapTensorValue('embedding.table', [
      {dims: [2], type: 'Int64', content: i64([7, 9])},
      {dims: [2, 2], type: 'Float32', content: f32([1, 2, 3, 4])},
      {dims: [2], type: 'Int32', content: i32([0, 0])},
    ]),
  ]);
}

/** What the reader must return for hand_assembled.ckpt by default: [tag, dtype, shape, values]. */
export const HAND_ASSEMBLED_EXPECTED: Array<[string, tf.DataType, number[], number[]]> = [
  ['conv.weight', 'float32', [4, 2, 1, 1], CONV_WEIGHT],
  ['bn.gamma', 'float32', [4], [1, 1.5, 0.5, 2]],
  ['bn.beta', 'float32', [4], [0, 0.25, -0.25, 1]],
  ['bn.moving_mean', 'float32', [4], [0.1, -0.2, 0.3, 0]],
  ['bn.moving_variance', 'float32', [4], [1, 0.5, 2, 4]],
  ['gn.gamma', 'float32', [4], [1, 2, 0.5, -1.5]],
  ['gn.beta', 'float32', [4], [0, 0.375, -3, 3.140625]],
  ['embedding.ids', 'int32', [3], [-5, 0, 70000]],
  ['dropout.keep', 'bool', [2, 2], [1, 0, 0, 1]],
];

/** Tags of hand_assembled.ckpt that hold optimizer or training state. */
export const HAND_ASSEMBLED_TRAINING_STATE: Array<[string, tf.DataType, number[], number[]]> = [
  ['moment1.bn.gamma', 'float32', [4], [0.01, 0.02, 0.03, 0.04]],
  ['moment2.bn.gamma', 'float32', [4], [1e-4, 2e-4, 3e-4, 4e-4]],
  ['global_step', 'int32', [1], [120]],
  ['learning_rate', 'float32', [], [0.01]],
  ['beta1_power', 'float32', [], [0.9]],
  ['epoch_num', 'int32', [], [3]],
  ['step_num', 'int32', [], [120]],
];

const BN_GN: Array<[string, number[]]> = [
  ['bn.gamma', [1, 1.5, 0.5, 2]],
  ['bn.beta', [0, 0.25, -0.25, 1]],
  ['bn.moving_mean', [0.1, -0.2, 0.3, 0]],
  ['bn.moving_variance', [1, 0.5, 2, 4]],
  ['gn.gamma', [1, 2, 0.5, -1.5]],
  ['gn.beta', [0, 0.375, -3, 3.140625]],
];

/** The tensors behind writer_bn_gn.ckpt (the caller disposes them). */
export function writerTensors(): Map<string, tf.Tensor> {
  const m = new Map<string, tf.Tensor>();
  for (const [tag, v] of BN_GN) {
    m.set(tag, tf.tensor1d(v));
  }
  m.set('global_step', tf.tensor1d([120], 'int32'));
  m.set('scale', tf.scalar(0.75));
  m.set('mask', tf.tensor2d([[true, false, true]], [1, 3], 'bool'));
  return m;
}

/** writer_bn_gn.ckpt as the wire format says it must be. */
export function writerFixtureByHand(): Uint8Array {
  return checkpoint([
    ...BN_GN.map(([tag, v]) => tensorValue(tag, {dims: [4], type: 'Float32', content: f32(v)})),
    tensorValue('global_step', {dims: [1], type: 'Int32', content: i32([120])}),
    tensorValue('scale', {dims: [0], type: 'Float32', content: f32([0.75])}),
    tensorValue('mask', {dims: [1, 3], type: 'Bool', content: u8([1, 0, 1])}),
  ]);
}
