// SPDX-License-Identifier: Apache-2.0
/** What one op of the comparison table provides. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {TensorData} from '../tensor_text';

/** ms: MindSpore; torch / tfjs: their defaults; match: another library set to agree with MindSpore. */
export type ColumnKey = 'ms'|'torch'|'tfjs'|'match';

export interface Column {
  key: ColumnKey;
  /** Who: "MindSpore", "PyTorch default", ... */
  title: string;
  /** The call, with the settings that matter. */
  setting: string;
  /** How the page computes it. */
  how: string;
  /** Flat values in the input's layout, or null when the library has no such op. */
  values: number[]|null;
}

export interface Variant {
  id: string;
  label: string;
}

export interface OpCase {
  id: string;
  label: string;
  /** What differs between the conventions, in a sentence. */
  summary: string;
  defaultInput: TensorData;
  /** Shape of a generated tensor. */
  generatedShape: number[];
  /** Why a shape cannot be used, or null. */
  checkShape(shape: number[]): string|null;
  variants?: Variant[];
  run(x: tf.Tensor, variant: string): Promise<Column[]>;
}

/** A tensor's values as plain numbers; the tensor is disposed. Async: WebGPU reads back that way. */
export async function take(t: tf.Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

export function rankAtLeast(min: number, what: string): (shape: number[]) => string|null {
  return shape => shape.length >= min ? null : `needs ${what}; got shape [${shape}].`;
}

/** Runs a fresh layer once (in training mode or with no mode at all) and frees it. */
export async function applyOnce(
    layer: tfl.layers.Layer, x: tf.Tensor, training: boolean|null): Promise<number[]> {
  try {
    const y = layer.apply(x, training == null ? {} : {training}) as tf.Tensor;
    return await take(y);
  } finally {
    layer.dispose();
  }
}
