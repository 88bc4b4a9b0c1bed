// SPDX-License-Identifier: Apache-2.0
import {add, cast, div, ones, scalar, sub, Tensor, tidy, zeros} from '@tensorflow/tfjs-core';
import {initializers, LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {Kwargs, MsLayer} from '../layers/ms_layer';
import {assertChannels, firstShape} from '../layers/shape_checks';
import {MINT_AFFINE_WEIGHTS, MINT_RUNNING_STAT_WEIGHTS} from '../layers/weight_names';
import {batchNorm} from '../ops/batch_norm';
import {assertArg, assertInRange01, assertPositive, assertPositiveInt} from '../util/validation';

export interface MintBatchNormArgs extends LayerArgs {
  numFeatures: number;
  /** Default 1e-5. */
  eps?: number;
  /**
   * Weight of the NEW batch statistic (PyTorch's direction, the opposite of
   * nn.BatchNorm's): running = (1 - momentum) * running + momentum * batch.
   * Default 0.1; null = cumulative average over num_batches_tracked.
   */
  momentum?: number|null;
  /** Whether `weight` and `bias` exist (and train). Default true. */
  affine?: boolean;
  /** Whether running_mean / running_var / num_batches_tracked exist. Default true. */
  trackRunningStats?: boolean;
}

/**
 * MindSpore's `mint.nn.BatchNorm1d/2d/3d` (PyTorch's conventions), channels on
 * axis 1. Mode: a mint cell starts in TRAINING (MindSpore calls set_train() in
 * its constructor); the tfjs `training` kwarg decides when given (fit() passes
 * true), the layer's own mode (setTrain) otherwise. In training it
 * normalizes with the batch statistics and, when tracking, updates the
 * running ones with the unbiased batch variance and counts the batch in
 * num_batches_tracked; in inference it uses the running statistics. Without
 * running statistics it always uses the batch's.
 */
export abstract class MintBatchNormBase extends MsLayer {
  static override readonly argKeys = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats'];
  /** The weights build() adds (affine: weight, bias; trackRunningStats: the rest), by role. */
  static readonly weightNames = {...MINT_AFFINE_WEIGHTS, ...MINT_RUNNING_STAT_WEIGHTS} as const;
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number|null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  private weight?: LayerVariable;
  private bias?: LayerVariable;
  private runningMean?: LayerVariable;
  private runningVar?: LayerVariable;
  private numBatchesTracked?: LayerVariable;

  /** Input ranks this variant accepts, and how to say so. */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly rankExpected: string;

  constructor(args: MintBatchNormArgs) {
    super(args, 'an object with numFeatures');
    const owner = (new.target as unknown as {className: string}).className;
    assertPositiveInt(owner, 'numFeatures', args.numFeatures);
    this.numFeatures = args.numFeatures;
    this.eps = args.eps ?? 1e-5;
    assertPositive(owner, 'eps', this.eps);
    this.momentum = args.momentum === undefined ? 0.1 : args.momentum;
    if (this.momentum !== null) {
      assertInRange01(owner, 'momentum', this.momentum);
    }
    this.affine = args.affine ?? true;
    assertArg(typeof this.affine === 'boolean', owner, 'affine', 'true or false', this.affine);
    this.trackRunningStats = args.trackRunningStats ?? true;
    assertArg(typeof this.trackRunningStats === 'boolean', owner, 'trackRunningStats',
        'true or false', this.trackRunningStats);
    this.trainMode = true;
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    const c = this.numFeatures;
    const w = {...MINT_AFFINE_WEIGHTS, ...MINT_RUNNING_STAT_WEIGHTS};
    this.buildWeights(() => {
      if (this.affine) {
        this.weight = this.addChannelWeight(w.weight, c, 'ones', true);
        this.bias = this.addChannelWeight(w.bias, c, 'zeros', true);
      }
      if (this.trackRunningStats) {
        this.runningMean = this.addChannelWeight(w.runningMean, c, 'zeros', false);
        this.runningVar = this.addChannelWeight(w.runningVar, c, 'ones', false);
        this.numBatchesTracked = this.addWeight(
            w.numBatchesTracked, [], 'int32', initializers.zeros(), undefined, false);
      }
    });
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    this.checkInputShape(x.shape);
    const training = this.isTraining(kwargs);
    if (training || !this.trackRunningStats) {
      this.checkBatchSize(x.shape);
    }
    return tidy(() => {
      const weight = this.weight?.read() ?? null;
      const bias = this.bias?.read() ?? null;
      if (!this.trackRunningStats) {
        // No running statistics: the batch's, in training and inference alike.
        const c = this.numFeatures;
        return batchNorm(x, zeros([c]), ones([c]), weight, bias, {training: true, eps: this.eps}).y;
      }
      if (!training) {
        return batchNorm(x, this.runningMean!.read(), this.runningVar!.read(), weight, bias,
            {training: false, eps: this.eps}).y;
      }
      const counted = add(this.numBatchesTracked!.read(), scalar(1, 'int32'));
      const running = [this.runningMean!.read(), this.runningVar!.read()];
      // momentum null: the cumulative average, running += (batch - running) / n with n the
      // batches seen, this one included. n stays a tensor: reading it back (dataSync) would
      // sync GPU backends, and on SwiftShader's WebGPU dataSync breaks the device.
      const out = batchNorm(x, running[0], running[1], weight, bias, {
        training: true, momentum: this.momentum ?? 1, eps: this.eps, varianceUpdate: 'unbiased',
      });
      const update = (old: Tensor, batch: Tensor) => this.momentum != null ?
          batch :
          add(old, div(sub(batch, old), cast(counted, 'float32')));
      this.runningMean!.write(update(running[0], out.runningMean));
      this.runningVar!.write(update(running[1], out.runningVar));
      this.numBatchesTracked!.write(counted);
      return out.y;
    });
  }

  /** PyTorch's (and mint's) rule: batch statistics need more than one value per channel. */
  private checkBatchSize(shape: number[]): void {
    const perChannel = shape.reduce((a, b) => a * b, 1) / shape[1];
    if (perChannel === 1) {
      throw new Error(`${this.getClassName()}: expected more than 1 value per channel when ` +
                      `using batch statistics, but got input shape [${shape}].`);
    }
  }

  private checkInputShape(shape: (number|null)[]): void {
    assertChannels(this.getClassName(), shape, 1, this.numFeatures, 'numFeatures',
        r => this.ranks.includes(r), this.rankExpected);
  }

}
