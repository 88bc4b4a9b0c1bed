// SPDX-License-Identifier: Apache-2.0
/**
 * Training-step benchmark: one model.fit() step (one batch, one epoch) of a
 * small conv net whose normalization layers are ours or tfjs's
 * BatchNormalization. Backend-agnostic, like cases.ts.
 *
 *   conv(F) -> norm -> relu -> conv(F) -> norm -> relu -> global avg pool -> dense(10)
 *
 * On the CPU the step is dominated by tfjs's conv2d backprop
 * (conv2DBackpropFilter reads element by element through TensorBuffer.get,
 * ~100 ns per multiply-add), even with 1x1 kernels, so the nets stay small.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {layers} from '../src';

export interface FitConfig {
  label: string;
  kernelSize: number;
  batch: number;
  /** Input channels and spatial size (square). */
  inChannels: number;
  size: number;
  filters: number;
}

export const FIT_CONFIGS: {quick: FitConfig[], full: FitConfig[]} = {
  quick: [{label: 'conv3x3', kernelSize: 3, batch: 4, inChannels: 4, size: 8, filters: 8}],
  full: [{label: 'conv3x3', kernelSize: 3, batch: 8, inChannels: 8, size: 16, filters: 16}],
};

export interface FitVariant {
  label: string;
  channelsFirst: boolean;
  norm: (filters: number) => tfl.layers.Layer;
}

export const FIT_VARIANTS: FitVariant[] = [
  {label: 'tfjs BatchNormalization (NCHW)', channelsFirst: true,
   norm: () => tfl.layers.batchNormalization({axis: 1})},
  {label: 'ours BatchNorm2d (NCHW)', channelsFirst: true,
   norm: f => layers.batchNorm2d({numFeatures: f})},
  {label: 'ours GroupNorm G=8 (NCHW)', channelsFirst: true,
   norm: f => layers.groupNorm({numGroups: 8, numChannels: f})},
  {label: 'tfjs BatchNormalization (NHWC)', channelsFirst: false,
   norm: () => tfl.layers.batchNormalization({axis: -1})},
  {label: 'ours BatchNorm2d (NHWC)', channelsFirst: false,
   norm: f => layers.batchNorm2d({numFeatures: f, dataFormat: 'NHWC'})},
];

export interface FitCase {
  label: string;
  /** One fit() step; resolves when done. */
  step: () => Promise<void>;
  dispose(): void;
}

export function buildFitCase(variant: FitVariant, cfg: FitConfig): FitCase {
  const {batch, inChannels, size, filters, kernelSize} = cfg;
  const dataFormat = variant.channelsFirst ? 'channelsFirst' : 'channelsLast';
  const inputShape = variant.channelsFirst ? [inChannels, size, size] : [size, size, inChannels];
  const conv = (first: boolean) => tfl.layers.conv2d({
    filters, kernelSize, padding: 'same', dataFormat, useBias: false,
    kernelInitializer: tfl.initializers.glorotUniform({seed: first ? 1 : 2}),
    ...(first ? {inputShape} : {}),
  });
  const model = tfl.sequential({
    layers: [
      conv(true), variant.norm(filters), tfl.layers.reLU(),
      conv(false), variant.norm(filters), tfl.layers.reLU(),
      tfl.layers.globalAveragePooling2d({dataFormat}),
      tfl.layers.dense({units: 10, kernelInitializer: tfl.initializers.glorotUniform({seed: 3})}),
    ],
  });
  model.compile({optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError'});
  const x = tf.randomUniform([batch, ...inputShape], -1, 1, 'float32', 11);
  const y = tf.randomUniform([batch, 10], -1, 1, 'float32', 12);
  return {
    label: variant.label,
    step: async () => {
      await model.fit(
          x, y, {epochs: 1, batchSize: batch, shuffle: false, verbose: 0, yieldEvery: 'never'});
    },
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}
