// SPDX-License-Identifier: Apache-2.0
/**
 * Layers mirroring MindSpore's `nn` cells, with tfjs-style lower-camel
 * factories: `layers.batchNorm2d({numFeatures: 16})`.
 */
import {BatchNorm1d} from './BatchNorm1d';
import {BatchNorm2d} from './BatchNorm2d';
import {BatchNorm3d} from './BatchNorm3d';
import {BatchNormArgs} from './batch_norm_base';
import {GroupNorm, GroupNormArgs} from './GroupNorm';
import {InstanceNorm1d} from './InstanceNorm1d';
import {InstanceNorm2d} from './InstanceNorm2d';
import {InstanceNorm3d} from './InstanceNorm3d';
import {InstanceNormArgs} from './instance_norm_base';
import {L2Normalize, L2NormalizeArgs} from './L2Normalize';
import {LayerNorm, LayerNormArgs} from './LayerNorm';
import {LRN, LRNArgs} from './LRN';
import {RMSNorm, RMSNormArgs} from './RMSNorm';

export {
  BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,
  L2Normalize, LayerNorm, LRN, RMSNorm,
};
export {BatchNormBase} from './batch_norm_base';
export type {BatchNormArgs} from './batch_norm_base';
export type {GroupNormArgs} from './GroupNorm';
export type {InitializerIdentifier, InitializerName} from './initializers';
export {InstanceNormBase} from './instance_norm_base';
export type {InstanceNormArgs} from './instance_norm_base';
export type {LayerNormArgs} from './LayerNorm';
export type {L2NormalizeArgs} from './L2Normalize';
export type {LRNArgs} from './LRN';
export type {RMSNormArgs} from './RMSNorm';
export {MsLayer} from './ms_layer';
export {setTrain} from './set_train';

export function l2Normalize(args?: L2NormalizeArgs): L2Normalize {
  return new L2Normalize(args);
}

export function lrn(args?: LRNArgs): LRN {
  return new LRN(args);
}

export function groupNorm(args: GroupNormArgs): GroupNorm {
  return new GroupNorm(args);
}

export function batchNorm1d(args: BatchNormArgs): BatchNorm1d {
  return new BatchNorm1d(args);
}

export function batchNorm2d(args: BatchNormArgs): BatchNorm2d {
  return new BatchNorm2d(args);
}

export function batchNorm3d(args: BatchNormArgs): BatchNorm3d {
  return new BatchNorm3d(args);
}

export function layerNorm(args: LayerNormArgs): LayerNorm {
  return new LayerNorm(args);
}

export function instanceNorm1d(args: InstanceNormArgs): InstanceNorm1d {
  return new InstanceNorm1d(args);
}

export function instanceNorm2d(args: InstanceNormArgs): InstanceNorm2d {
  return new InstanceNorm2d(args);
}

export function instanceNorm3d(args: InstanceNormArgs): InstanceNorm3d {
  return new InstanceNorm3d(args);
}

export function rmsNorm(args: RMSNormArgs): RMSNorm {
  return new RMSNorm(args);
}
