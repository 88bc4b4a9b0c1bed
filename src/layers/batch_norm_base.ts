// SPDX-License-Identifier: Apache-2.0
import {Tensor, tidy} from '@tensorflow/tfjs-core';

import {DataFormat, VarianceUpdate} from '../kernel_names';
import {batchNorm} from '../ops/batch_norm';
import {assertOneOf, fromSerialized} from '../util/validation';
import {ChannelAffineArgs, ChannelAffineBase} from './channel_affine_base';
import {InitializerConfig, InitializerIdentifier, resolveInitializer} from './initializers';
import {Kwargs} from './ms_layer';
import {firstShape} from './shape_checks';

export interface BatchNormArgs extends ChannelAffineArgs {
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
 * MindSpore's `nn.BatchNorm1d/2d/3d`. The mode follows MindSpore: with
 * useBatchStatistics null, training (tfjs `training: true`, or setTrain(true)
 * when no kwarg is given) normalizes with the batch statistics and updates
 * the moving ones exactly once per call; inference uses the moving statistics
 * and never changes them.
 */
export abstract class BatchNormBase extends ChannelAffineBase {
  static override readonly argKeys: readonly string[] = [
    ...ChannelAffineBase.argKeys, 'movingMeanInit', 'movingVarInit', 'useBatchStatistics',
    'dataFormat', 'varianceUpdate',
  ];
  readonly movingMeanInit: InitializerConfig;
  readonly movingVarInit: InitializerConfig;
  readonly useBatchStatistics: boolean|null;
  readonly dataFormat: DataFormat;
  readonly varianceUpdate: VarianceUpdate;

  constructor(args: BatchNormArgs) {
    super(args, 0.9);
    const owner = this.getClassName();
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
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    this.addChannelWeights(this.movingMeanInit, this.movingVarInit);
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

  protected override channelAxis(): number {
    return this.dataFormat === 'NCHW' ? 1 : -1;
  }

  /** Channels-last data given to an NCHW layer gets a pointer to dataFormat: 'NHWC'. */
  protected override checkInputShape(shape: (number|null)[]): void {
    try {
      super.checkInputShape(shape);
    } catch (e) {
      const last = shape[shape.length - 1];
      if (this.dataFormat === 'NCHW' && shape.length > 2 && last === this.numFeatures &&
          /channels on axis/.test((e as Error).message)) {
        throw new Error(`${(e as Error).message} Its last axis has ${last}: for channels-last ` +
                        `input, pass dataFormat: 'NHWC'.`);
      }
      throw e;
    }
  }
}
