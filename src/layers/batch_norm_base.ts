import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {DataFormat, VarianceUpdate} from '../kernel_names';
import {batchNorm} from '../ops/batch_norm';
import {assertArg, assertInRange01, assertOneOf, assertPositiveInt, fromSerialized} from '../util/validation';
import {AffineArgs, readAffineArgs} from './affine_args';
import {InitializerConfig, InitializerIdentifier, resolveInitializer} from './initializers';
import {Kwargs, MsLayer} from './ms_layer';
import {assertChannels} from './shape_checks';

export interface BatchNormArgs extends LayerArgs, AffineArgs {
  numFeatures: number;
  /** MindSpore's convention: moving = momentum * moving + (1 - momentum) * batch. Default 0.9. */
  momentum?: number;
  movingMeanInit?: InitializerIdentifier;
  movingVarInit?: InitializerIdentifier;
  /** true: always batch statistics (and update); false: always moving ones; null: follow the mode. */
  useBatchStatistics?: boolean|null;
  dataFormat?: DataFormat;
  /** Batch variance used for the moving update: 'unbiased' (MindSpore GPU, default) or 'biased' (CPU). */
  varianceUpdate?: VarianceUpdate;
}

/**
 * MindSpore's `nn.BatchNorm1d/2d/3d`. The mode follows SEMANTICS: with
 * useBatchStatistics null, training (tfjs `training: true`, or setTrain(true)
 * when no kwarg is given) normalizes with the batch statistics and updates
 * the moving ones exactly once per call; inference uses the moving statistics
 * and never changes them.
 */
export abstract class BatchNormBase extends MsLayer {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly gammaInit: InitializerConfig;
  readonly betaInit: InitializerConfig;
  readonly movingMeanInit: InitializerConfig;
  readonly movingVarInit: InitializerConfig;
  readonly useBatchStatistics: boolean|null;
  readonly dataFormat: DataFormat;
  readonly varianceUpdate: VarianceUpdate;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;
  private movingMean?: LayerVariable;
  private movingVariance?: LayerVariable;

  /** Input ranks this variant accepts, and how to say so. */
  protected abstract rankOk(rank: number): boolean;
  protected abstract readonly rankExpected: string;

  constructor(args: BatchNormArgs) {
    super(args);
    const owner = (new.target as unknown as {className: string}).className;
    assertArg(args != null && typeof args === 'object', owner, 'args',
        'an object with numFeatures', args);
    assertPositiveInt(owner, 'numFeatures', args.numFeatures);
    this.numFeatures = args.numFeatures;
    ({eps: this.eps, affine: this.affine, gammaInit: this.gammaInit, betaInit: this.betaInit} =
         readAffineArgs(owner, args, args.numFeatures));
    this.momentum = args.momentum ?? 0.9;
    assertInRange01(owner, 'momentum', this.momentum);
    this.useBatchStatistics = args.useBatchStatistics ?? null;
    assertOneOf(owner, 'useBatchStatistics', this.useBatchStatistics, [true, false, null]);
    this.dataFormat = fromSerialized(args.dataFormat ?? 'NCHW', ['NCHW', 'NHWC']) as DataFormat;
    assertOneOf(owner, 'dataFormat', this.dataFormat, ['NCHW', 'NHWC']);
    this.varianceUpdate = args.varianceUpdate ?? 'unbiased';
    assertOneOf(owner, 'varianceUpdate', this.varianceUpdate, ['unbiased', 'biased']);
    const c = this.numFeatures;
    this.movingMeanInit =
        resolveInitializer(args.movingMeanInit ?? 'zeros', owner, 'movingMeanInit', c).config;
    this.movingVarInit =
        resolveInitializer(args.movingVarInit ?? 'ones', owner, 'movingVarInit', c).config;
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number|null)[];
    this.checkInputShape(shape);
    const c = this.numFeatures;
    this.gamma = this.addChannelWeight('gamma', c, this.gammaInit, this.affine);
    this.beta = this.addChannelWeight('beta', c, this.betaInit, this.affine);
    this.movingMean = this.addChannelWeight('moving_mean', c, this.movingMeanInit, false);
    this.movingVariance = this.addChannelWeight('moving_variance', c, this.movingVarInit, false);
    this.built = true;
  }

  /** Whether this call normalizes with (and updates) the batch statistics. */
  usesBatchStatistics(kwargs?: Kwargs): boolean {
    return this.useBatchStatistics ?? this.isTraining(kwargs);
  }

  override call(inputs: Tensor|Tensor[], kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    this.checkInputShape(x.shape);
    return tidy(() => {
      const training = this.usesBatchStatistics(kwargs);
      const {y, runningMean, runningVar} = batchNorm(
          x, this.movingMean!.read(), this.movingVariance!.read(), this.gamma!.read(),
          this.beta!.read(), {
            training,
            // The op takes PyTorch-direction momentum: new = (1 - m) * running + m * batch.
            momentum: 1 - this.momentum,
            eps: this.eps,
            dataFormat: this.dataFormat,
            varianceUpdate: this.varianceUpdate,
          });
      if (training) {
        this.movingMean!.write(runningMean);
        this.movingVariance!.write(runningVar);
      }
      return y;
    });
  }

  private checkInputShape(shape: (number|null)[]): void {
    const channelAxis = this.dataFormat === 'NCHW' ? 1 : -1;
    assertChannels(this.getClassName(), shape, channelAxis, this.numFeatures, 'numFeatures',
        r => this.rankOk(r), this.rankExpected);
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
      movingMeanInit: this.movingMeanInit,
      movingVarInit: this.movingVarInit,
      useBatchStatistics: this.useBatchStatistics,
      dataFormat: this.dataFormat,
      varianceUpdate: this.varianceUpdate,
    };
  }
}
