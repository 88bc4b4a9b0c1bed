// SPDX-License-Identifier: Apache-2.0
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {assertInRange01, assertPositiveInt} from '../util/validation';
import {AFFINE_ARG_KEYS, AffineArgs, readAffineArgs} from './affine_args';
import {InitializerConfig} from './initializers';
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
  static override readonly argKeys: readonly string[] =
      ['numFeatures', 'momentum', ...AFFINE_ARG_KEYS];
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
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly rankExpected: string;

  /** `momentum`: the subclass's default. */
  constructor(args: ChannelAffineArgs, momentum: number) {
    super(args, 'an object with numFeatures');
    const owner = this.getClassName();
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
        'numFeatures', r => this.ranks.includes(r), this.rankExpected);
  }
}
