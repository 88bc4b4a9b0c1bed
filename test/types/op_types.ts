// SPDX-License-Identifier: Apache-2.0
/**
 * Type-level spec, checked by `tsc` in `npm test` (never run): ops return
 * the rank of their input, initializer names are a closed union. Each
 * `@ts-expect-error` line must fail to type-check, or tsc reports it.
 */
import * as tf from '@tensorflow/tfjs-core';

import {batchNorm, groupNorm, instanceNorm, l2Normalize, layerNorm, layers, lrn, torchLocalResponseNorm, torchNormalize} from '../../src';
import type {InitializerIdentifier, InitializerName} from '../../src';

declare const x2: tf.Tensor2D;
declare const x3: tf.Tensor3D;
declare const x4: tf.Tensor4D;

export const ranks: Array<tf.Tensor> = [
  groupNorm(x3, 1) satisfies tf.Tensor3D,
  instanceNorm(x3) satisfies tf.Tensor3D,
  l2Normalize(x2) satisfies tf.Tensor2D,
  lrn(x4) satisfies tf.Tensor4D,
  batchNorm(x4, [0], [1]).y satisfies tf.Tensor4D,
  batchNorm(x4, [0], [1]).runningMean satisfies tf.Tensor1D,
  layerNorm(x3, [1], [0]).y satisfies tf.Tensor3D,
  layerNorm(x3, [1], [0]).mean satisfies tf.Tensor3D,
  torchNormalize(x2) satisfies tf.Tensor2D,
  torchLocalResponseNorm(x3, 2) satisfies tf.Tensor3D,
  // Arrays in, a tensor of unknown rank out.
  groupNorm([[[1, 2]]], 1) satisfies tf.Tensor,
];

// @ts-expect-error a rank-3 input does not give a rank-4 output
export const wrongGroup: tf.Tensor4D = groupNorm(x3, 1);
// @ts-expect-error batchNorm's y keeps the rank
export const wrongBatch: tf.Tensor2D = batchNorm(x4, [0], [1]).y;
// @ts-expect-error layerNorm's y keeps the rank
export const wrongLayer: tf.Tensor4D = layerNorm(x3, [1], [0]).y;

export const names: InitializerName[] = ['ones', 'zeros', 'normal', 'he_uniform', 'xavier_uniform',
                                          'truncatedNormal', 'glorotNormal'];
// @ts-expect-error a misspelt initializer name
export const misspelt: InitializerIdentifier = 'he_unifrom';
// @ts-expect-error ... also in a layer's arguments
export const layer = layers.groupNorm({numGroups: 1, numChannels: 2, gammaInit: 'one_s'});
export const fine = layers.batchNorm2d({numFeatures: 2, gammaInit: 'ones', betaInit: 0.5,
                                         movingVarInit: [1, 1]});
