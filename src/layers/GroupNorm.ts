// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {groupNorm} from '../ops/group_norm';
import {AFFINE_ARG_KEYS, AffineArgs, readAffineArgs} from './affine_args';
import {InitializerConfig} from './initializers';
import {Kwargs, MsLayer} from './ms_layer';
import {assertChannels, assertGroups, firstShape} from './shape_checks';
import {AFFINE_WEIGHTS} from './weight_names';

export interface GroupNormArgs extends LayerArgs, AffineArgs {
  numGroups: number;
  numChannels: number;
}

/**
 * MindSpore's `nn.GroupNorm` on (N, C, *) input: per sample and group of
 * C / numGroups channels, `(x - mean) / sqrt(biased var + eps) * gamma + beta`.
 * The same in training and inference.
 */
export class GroupNorm extends MsLayer {
  static className = 'GroupNorm';
  static override readonly argKeys = ['numGroups', 'numChannels', ...AFFINE_ARG_KEYS];
  /** The weights build() adds, by role. */
  static readonly weightNames = AFFINE_WEIGHTS;
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  readonly gammaInit: InitializerConfig;
  readonly betaInit: InitializerConfig;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;

  constructor(args: GroupNormArgs) {
    super(args, 'an object with numGroups and numChannels');
    const owner = 'GroupNorm';
    assertGroups(owner, args.numGroups, args.numChannels);
    this.numGroups = args.numGroups;
    this.numChannels = args.numChannels;
    ({eps: this.eps, affine: this.affine, gammaInit: this.gammaInit, betaInit: this.betaInit} =
         readAffineArgs(owner, args, args.numChannels));
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    const c = this.numChannels;
    this.buildWeights(() => {
      this.gamma = this.addChannelWeight(AFFINE_WEIGHTS.gamma, c, this.gammaInit, this.affine);
      this.beta = this.addChannelWeight(AFFINE_WEIGHTS.beta, c, this.betaInit, this.affine);
    });
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    this.checkInputShape(x.shape);
    return tidy(() => groupNorm(x, this.numGroups, this.gamma!.read(), this.beta!.read(), this.eps));
  }

  private checkInputShape(shape: (number|null)[]): void {
    assertChannels('GroupNorm', shape, 1, this.numChannels, 'numChannels', r => r >= 2,
        'rank >= 2 (N, C, *)');
  }
}
serialization.registerClass(GroupNorm);
