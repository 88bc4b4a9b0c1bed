import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {instanceNorm} from '../ops/instance_norm';
import {assertArg, assertInRange01, assertPositiveInt} from '../util/validation';
import {AffineArgs, readAffineArgs} from './affine_args';
import {InitializerConfig} from './initializers';
import {Kwargs, MsLayer} from './ms_layer';
import {assertChannels} from './shape_checks';

export interface InstanceNormArgs extends LayerArgs, AffineArgs {
  numFeatures: number;
  /** Validated and kept for checkpoints; it changes nothing (as in MindSpore). */
  momentum?: number;
}

/**
 * MindSpore's `nn.InstanceNorm1d/2d/3d`: every (n, c) slice normalized with
 * its own mean and biased variance, in training and inference alike. The
 * moving_mean / moving_variance weights exist so MindSpore checkpoints load,
 * but they are never used or updated.
 */
export abstract class InstanceNormBase extends MsLayer {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly gammaInit: InitializerConfig;
  readonly betaInit: InitializerConfig;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;

  protected abstract readonly rank: number;
  protected abstract readonly rankExpected: string;

  constructor(args: InstanceNormArgs) {
    super(args);
    const owner = (new.target as unknown as {className: string}).className;
    assertArg(args != null && typeof args === 'object', owner, 'args',
        'an object with numFeatures', args);
    assertPositiveInt(owner, 'numFeatures', args.numFeatures);
    this.numFeatures = args.numFeatures;
    ({eps: this.eps, affine: this.affine, gammaInit: this.gammaInit, betaInit: this.betaInit} =
         readAffineArgs(owner, args, args.numFeatures));
    this.momentum = args.momentum ?? 0.1;
    assertInRange01(owner, 'momentum', this.momentum);
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number|null)[];
    this.checkInputShape(shape);
    const c = this.numFeatures;
    this.gamma = this.addChannelWeight('gamma', c, this.gammaInit, this.affine);
    this.beta = this.addChannelWeight('beta', c, this.betaInit, this.affine);
    this.addChannelWeight('moving_mean', c, 'zeros', false);
    this.addChannelWeight('moving_variance', c, 'ones', false);
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    this.checkInputShape(x.shape);
    return tidy(() => instanceNorm(x, this.gamma!.read(), this.beta!.read(), this.eps));
  }

  private checkInputShape(shape: (number|null)[]): void {
    assertChannels(this.getClassName(), shape, 1, this.numFeatures, 'numFeatures',
        r => r === this.rank, this.rankExpected);
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
