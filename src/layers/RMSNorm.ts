// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {rmsNorm} from '../ops/rms_norm';
import {assertArg, isFiniteNumber, readNormalizedShape} from '../util/validation';
import {Kwargs, MsLayer} from './ms_layer';
import {assertTrailingDims, firstShape} from './shape_checks';
import {RMS_NORM_WEIGHTS} from './weight_names';

export interface RMSNormArgs extends LayerArgs {
  /** The trailing dims normalized together (the weight's shape): an int or a list. */
  normalizedShape: number|number[];
  /** Added to the mean square inside the root; in (0, 1], default 1e-6. */
  eps?: number;
}

const OWNER = 'RMSNorm';

/**
 * mindformers' `LlamaRMSNorm(dim, eps=1e-6)` generalized to several trailing
 * dims: `y = x / sqrt(mean(x^2) + eps) * weight` over the last
 * normalizedShape.length axes (MindSpore's ops.rms_norm), with one trainable
 * weight named `weight`, initialized to ones. The same in training and inference.
 */
export class RMSNorm extends MsLayer {
  static className = 'RMSNorm';
  static override readonly argKeys = ['normalizedShape', 'eps'];
  /** The weights build() adds, by role. */
  static readonly weightNames = RMS_NORM_WEIGHTS;
  readonly normalizedShape: number[];
  readonly eps: number;
  private weight?: LayerVariable;

  constructor(args: RMSNormArgs) {
    super(args, 'an object with normalizedShape');
    this.normalizedShape = readNormalizedShape(OWNER, args.normalizedShape);
    this.eps = args.eps ?? 1e-6;
    assertArg(isFiniteNumber(this.eps) && this.eps > 0 && this.eps <= 1, OWNER, 'eps',
        'a number in the range (0, 1]', this.eps);
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    this.buildWeights(() => {
      this.weight =
          this.addShapedWeight(RMS_NORM_WEIGHTS.weight, this.normalizedShape, 'ones', true);
    });
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    this.checkInputShape(x.shape);
    return tidy(() => {
      const {y, rstd} = rmsNorm(x, this.weight!.read(), this.eps);
      rstd.dispose();
      return y;
    });
  }

  private checkInputShape(shape: (number|null)[]): void {
    assertTrailingDims(OWNER, shape, this.normalizedShape);
  }
}
serialization.registerClass(RMSNorm);
