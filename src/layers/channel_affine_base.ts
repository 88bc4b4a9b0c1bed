// SPDX-License-Identifier: Apache-2.0
import {serialization} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {assertInRange01, assertPositiveInt} from '../util/validation';
import {AFFINE_ARG_KEYS, AffineArgs, readAffineArgs} from './affine_args';
import {InitializerConfig} from './initializers';
import {checkLayerArgs} from './layer_args';
import {MsLayer} from './ms_layer';
import {assertChannels} from './shape_checks';
import {CHANNEL_AFFINE_WEIGHTS} from './weight_names';

export interface ChannelAffineArgs extends LayerArgs, AffineArgs {
  numFeatures: number;
  momentum?: number;
}

/**
 * What BatchNorm*d and InstanceNorm*d share (MindSpore gives both the same
 * parameters): numFeatures channels, eps, momentum, gamma and beta (always
 * applied; affine says whether they train) and the moving statistics.
 */
export abstract class ChannelAffineBase extends MsLayer {
  /** The weights build() adds, by role. */
  static readonly weightNames = CHANNEL_AFFINE_WEIGHTS;
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly gammaInit: InitializerConfig;
  readonly betaInit: InitializerConfig;
  protected gamma?: LayerVariable;
  protected beta?: LayerVariable;
  protected movingMean?: LayerVariable;
  protected movingVariance?: LayerVariable;

  /** Input ranks this variant accepts, and how to say so. */
  protected abstract rankOk(rank: number): boolean;
  protected abstract readonly rankExpected: string;

  /** `keys`: the subclass's own argument names; `momentum`: its default. */
  constructor(args: ChannelAffineArgs, keys: readonly string[], momentum: number) {
    const owner = (new.target as unknown as {className: string}).className;
    super(checkLayerArgs(owner, args, ['numFeatures', 'momentum', ...AFFINE_ARG_KEYS, ...keys],
        'an object with numFeatures'));
    assertPositiveInt(owner, 'numFeatures', args.numFeatures);
    this.numFeatures = args.numFeatures;
    ({eps: this.eps, affine: this.affine, gammaInit: this.gammaInit, betaInit: this.betaInit} =
         readAffineArgs(owner, args, args.numFeatures));
    this.momentum = args.momentum ?? momentum;
    assertInRange01(owner, 'momentum', this.momentum);
  }

  /** Adds gamma, beta and the moving statistics, all or none. */
  protected addChannelWeights(movingMeanInit: InitializerConfig, movingVarInit: InitializerConfig):
      void {
    const c = this.numFeatures;
    const names = ChannelAffineBase.weightNames;
    this.buildWeights(() => {
      this.gamma = this.addChannelWeight(names.gamma, c, this.gammaInit, this.affine);
      this.beta = this.addChannelWeight(names.beta, c, this.betaInit, this.affine);
      this.movingMean = this.addChannelWeight(names.movingMean, c, movingMeanInit, false);
      this.movingVariance = this.addChannelWeight(names.movingVariance, c, movingVarInit, false);
    });
  }

  /** The axis holding the channels (1; BatchNorm's NHWC says -1). */
  protected channelAxis(): number {
    return 1;
  }

  protected checkInputShape(shape: (number|null)[]): void {
    assertChannels(this.getClassName(), shape, this.channelAxis(), this.numFeatures,
        'numFeatures', r => this.rankOk(r), this.rankExpected);
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      gammaInit: this.gammaInit,
      betaInit: this.betaInit,
    };
  }
}
