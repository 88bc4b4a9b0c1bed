// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {RowSumProgram} from './row_sum_gpu';
import {SliceSumProgram, SliceSumSpec} from './slice_sum_gpu';
import {view} from './webgl_util';

/**
 * A GPU reduction is fast when many fragments each sum a short run. When
 * there are few slices (e.g. per-channel statistics of a large batch), each
 * slice is split into windows so that about this many fragments work at
 * once; further passes add up the window sums.
 */
const TARGET_FRAGMENTS = 1024;
/** Windows never get shorter than this (a pass costs more than a short loop). */
const MIN_WINDOW = 32;

/** Length of the runs when `rows` sums of `length` values each are split. */
export function windowSize(rows: number, length: number): number {
  const maxWindows = Math.max(1, Math.floor(length / MIN_WINDOW));
  const windows = Math.min(maxWindows, Math.max(1, Math.ceil(TARGET_FRAGMENTS / rows)));
  return Math.max(1, Math.ceil(length / windows));
}

/**
 * Sums `spec.terms` over `spec.axes` of `spec.shape`: a SliceSumProgram,
 * then RowSumPrograms while windows remain. `inputs` are given in the order
 * of spec.variableNames. Returns a tensor of shape [terms, ...keptShape]
 * (without the leading axis when there is one term; keptShape is [1] when
 * nothing is kept) that the caller disposes. Passes: 1 + the number of extra window stages.
 */
export function sliceSum(
    backend: MathBackendWebGL, inputs: TensorInfo[], spec: SliceSumSpec): TensorInfo {
  const {shape, axes, terms} = spec;
  const keptShape = shape.filter((_, i) => !axes.includes(i));
  const rows = terms.length * util.sizeFromShape(keptShape);
  const reduceSize = util.sizeFromShape(axes.map(a => shape[a]));
  let sums = backend.runWebGLProgram(
      new SliceSumProgram(spec, windowSize(rows, reduceSize)), inputs, 'float32',
      Object.values(spec.uniforms ?? {}).map(v => [v]));
  sums = sumWindows(backend, sums, rows);
  const slots = keptShape.length > 0 ? keptShape : [1];
  return view(sums, terms.length > 1 ? [terms.length, ...slots] : slots);
}

/**
 * Adds up window sums, the last axis of `sums` ([..., windows], `rows`
 * values before it), with RowSumPrograms until one remains: [rows, 1].
 * Disposes `sums` unless it already has one window.
 */
export function sumWindows(backend: MathBackendWebGL, sums: TensorInfo, rows: number): TensorInfo {
  let cols = sums.shape[sums.shape.length - 1];
  while (cols > 1) {
    const program = new RowSumProgram(rows, cols, windowSize(rows, cols));
    const next = backend.runWebGLProgram(program, [view(sums, [rows, cols])], 'float32');
    backend.disposeIntermediateTensorInfo(sums);
    sums = next;
    cols = program.outputShape[1];
  }
  return sums;
}
