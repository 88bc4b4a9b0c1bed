// SPDX-License-Identifier: Apache-2.0
/**
 * How one stock tfjs normalization layer becomes its MindSpore counterpart:
 * the new layer's config (tfjs's in-memory, camelCased form) and what the
 * swap report says about it. Weights are copied by name afterwards.
 */
import type {serialization} from '@tensorflow/tfjs-core';

import {VarianceUpdate} from '../kernel_names';
import {BatchNorm1d} from '../layers/BatchNorm1d';
import {BatchNorm2d} from '../layers/BatchNorm2d';
import {BatchNorm3d} from '../layers/BatchNorm3d';
import {LayerNorm} from '../layers/LayerNorm';

type Shape = Array<number|null>;

export interface SwapOptions {
  /** Epsilon for every replaced layer; default: keep each layer's own epsilon. */
  epsilon?: number;
  /** Batch variance for BatchNorm's moving-variance update. Default 'unbiased' (MindSpore GPU). */
  varianceUpdate?: VarianceUpdate;
}

/** A rewritten layer config, or the reason the layer is left as it is. */
export type RuleResult = {className: string, config: serialization.ConfigDict, notes: string[]}|
    {skip: string};

// Arguments every tfjs layer carries, kept as they are.
const BASE_KEYS = ['name', 'trainable', 'batchInputShape', 'inputShape', 'batchSize', 'dtype'];

function baseArgs(config: serialization.ConfigDict): serialization.ConfigDict {
  const out: serialization.ConfigDict = {};
  for (const key of BASE_KEYS) {
    if (config[key] !== undefined) {
      out[key] = config[key];
    }
  }
  return out;
}

function lostArgs(config: serialization.ConfigDict, keys: string[]): string[] {
  return keys.filter(k => config[k] != null).map(k => `${k} is not carried over (dropped).`);
}

/**
 * tfjs `BatchNormalization` -> BatchNorm1d/2d/3d by input rank (2-3, 4, 5):
 * channel axis 1 -> 'NCHW', last axis -> 'NHWC'. Keras momentum is
 * MindSpore's (both `moving = m * moving + (1 - m) * batch`).
 */
export function batchNormRule(
    config: serialization.ConfigDict, inputShape: Shape, options: SwapOptions): RuleResult {
  const rank = inputShape.length;
  const rawAxis = config['axis'] as number;
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  let dataFormat: 'NCHW'|'NHWC';
  if (axis === 1) {
    dataFormat = 'NCHW';
  } else if (axis === rank - 1) {
    dataFormat = 'NHWC';
  } else {
    return {skip: `axis ${rawAxis} of a rank-${rank} input is neither the channel-first axis (1) ` +
                  `nor the last axis, which MindSpore's BatchNorm cannot express.`};
  }
  const className = rank === 2 || rank === 3 ? BatchNorm1d.className :
      rank === 4                            ? BatchNorm2d.className :
      rank === 5                            ? BatchNorm3d.className :
                                              null;
  if (className == null) {
    return {skip: `input rank ${rank} has no MindSpore BatchNorm ` +
                  `(BatchNorm1d/2d/3d take rank 2-5).`};
  }
  const numFeatures = inputShape[axis];
  if (numFeatures == null) {
    return {skip: `the channel axis ${rawAxis} has unknown size.`};
  }
  const notes: string[] = [];
  const center = config['center'] !== false;
  const scale = config['scale'] !== false;
  const affine = center && scale;
  if (!scale) {
    notes.push('scale: false -> gamma held at 1.');
  }
  if (!center) {
    notes.push('center: false -> beta held at 0.');
  }
  if (!affine && (center || scale)) {
    notes.push(`affine: false, so ${center ? 'beta' : 'gamma'} no longer trains ` +
               `(MindSpore's affine covers gamma and beta together).`);
  }
  const epsilon = config['epsilon'] as number;
  const eps = options.epsilon ?? epsilon;
  if (eps !== epsilon) {
    notes.push(`epsilon ${epsilon} -> ${eps} (options.epsilon): outputs change accordingly.`);
  }
  if (dataFormat === 'NCHW' && rank > 2) {
    // tfjs-backend-cpu's FusedBatchNorm indexes mean/variance/gamma/beta by the flat offset
    // modulo C, which is the channel only when channels are last.
    notes.push(`tfjs's BatchNormalization({axis: 1}) computes wrong outputs on the cpu backend ` +
               `(its kernel assumes channels last), so there the swapped model's outputs differ ` +
               `from the original's; the MindSpore layer's are the correct ones.`);
  }
  const varianceUpdate = options.varianceUpdate ?? 'unbiased';
  if (varianceUpdate === 'unbiased') {
    notes.push(`training updates moving_variance with the unbiased batch variance ` +
               `(MindSpore GPU); ` +
               `tfjs used the biased one. Pass varianceUpdate: 'biased' to keep tfjs's update.`);
  }
  notes.push(...lostArgs(config, ['gammaRegularizer', 'betaRegularizer', 'gammaConstraint',
                                  'betaConstraint']));
  return {
    className,
    config: {
      ...baseArgs(config),
      numFeatures,
      eps,
      momentum: config['momentum'] as number,
      affine,
      dataFormat,
      varianceUpdate,
    },
    notes,
  };
}

/**
 * tfjs `LayerNormalization` -> LayerNorm when its axes are a trailing block
 * [k, rank): beginNormAxis = beginParamsAxis = k, normalizedShape =
 * inputShape[k:]. tfjs's epsilon (1e-3) is kept unless overridden;
 * MindSpore's default is 1e-7.
 */
export function layerNormRule(
    config: serialization.ConfigDict, inputShape: Shape, options: SwapOptions): RuleResult {
  const rank = inputShape.length;
  const rawAxes = config['axis'] as number|number[];
  const axes = (Array.isArray(rawAxes) ? rawAxes : [rawAxes])
                   .map(a => a < 0 ? a + rank : a)
                   .sort((a, b) => a - b);
  const first = axes[0];
  const trailing = axes.length > 0 && first >= 1 && axes.every((a, i) => a === first + i) &&
      axes[axes.length - 1] === rank - 1;
  if (!trailing) {
    return {skip: `axis [${rawAxes}] is not a trailing block of axes [k, ${rank}) of a ` +
                  `rank-${rank} input, which MindSpore's LayerNorm cannot express.`};
  }
  const normalizedShape = inputShape.slice(first);
  if (normalizedShape.some(d => d == null)) {
    return {skip: `the normalized axes have unknown size (input shape [${inputShape}]).`};
  }
  const notes: string[] = [];
  const epsilon = config['epsilon'] as number;
  const eps = options.epsilon ?? epsilon;
  if (options.epsilon == null) {
    notes.push(`epsilon ${epsilon} kept; MindSpore's LayerNorm default is 1e-7 ` +
               `(pass options.epsilon to change it).`);
  } else {
    notes.push(`epsilon ${epsilon} -> ${eps} (options.epsilon): outputs change accordingly.`);
  }
  if (config['scale'] === false) {
    notes.push('scale: false -> gamma set to 1, but it trains (MindSpore LayerNorm always does).');
  }
  if (config['center'] === false) {
    notes.push('center: false -> beta set to 0, but it trains (MindSpore LayerNorm always does).');
  }
  notes.push(...lostArgs(config, ['gammaRegularizer', 'betaRegularizer']));
  return {
    className: LayerNorm.className,
    config: {
      ...baseArgs(config),
      normalizedShape,
      beginNormAxis: first,
      beginParamsAxis: first,
      epsilon: eps,
    },
    notes,
  };
}

/** The rules by tfjs class name. */
export const SWAP_RULES: Record<string, typeof batchNormRule> = {
  BatchNormalization: batchNormRule,
  LayerNormalization: layerNormRule,
};
