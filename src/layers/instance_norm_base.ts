import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {instanceNorm} from '../ops/instance_norm';
import {assertArg, assertInRange01, assertPositive, assertPositiveInt} from '../ops/validation';
import {InitializerConfig, InitializerIdentifier, resolveInitializer} from './initializers';
import {Kwargs, MsLayer} from './ms_layer';
import {assertChannels} from './shape_checks';

export interface InstanceNormArgs extends LayerArgs {
  numFeatures: number;
  eps?: number;
  /** Validated and kept for checkpoints; it changes nothing (as in MindSpore). */
  momentum?: number;
  /** Whether gamma and beta train; they are applied either way (MindSpore). */
  affine?: boolean;
  gammaInit?: InitializerIdentifier;
  betaInit?: InitializerIdentifier;
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
    this.eps = args.eps ?? 1e-5;
    assertPositive(owner, 'eps', this.eps);
    this.momentum = args.momentum ?? 0.1;
    assertInRange01(owner, 'momentum', this.momentum);
    this.affine = args.affine ?? true;
    assertArg(typeof this.affine === 'boolean', owner, 'affine', 'true or false', this.affine);
    const c = this.numFeatures;
    this.gammaInit = resolveInitializer(args.gammaInit ?? 'ones', owner, 'gammaInit', c).config;
    this.betaInit = resolveInitializer(args.betaInit ?? 'zeros', owner, 'betaInit', c).config;
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number|null)[];
    assertChannels(this.getClassName(), shape, 1, this.numFeatures, 'numFeatures',
        r => r === this.rank, this.rankExpected);
    const c = this.numFeatures;
    this.gamma = this.addChannelWeight('gamma', c, this.gammaInit, this.affine);
    this.beta = this.addChannelWeight('beta', c, this.betaInit, this.affine);
    this.addChannelWeight('moving_mean', c, 'zeros', false);
    this.addChannelWeight('moving_variance', c, 'ones', false);
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => instanceNorm(
        this.singleInput(inputs), this.gamma!.read(), this.beta!.read(), this.eps));
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
