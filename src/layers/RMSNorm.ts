// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {rmsNorm} from '../ops/rms_norm';
import {assertArg, isFiniteNumber, isInteger} from '../util/validation';
import {Kwargs, MsLayer} from './ms_layer';
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
    const shape = typeof args.normalizedShape === 'number' ? [args.normalizedShape] :
                                                             args.normalizedShape;
    assertArg(Array.isArray(shape) && shape.length > 0 &&
                  shape.every(d => isInteger(d) && d >= 1),
        OWNER, 'normalizedShape', 'a positive integer or a non-empty list of them',
        args.normalizedShape);
    this.normalizedShape = [...shape];
    this.eps = args.eps ?? 1e-6;
    assertArg(isFiniteNumber(this.eps) && this.eps > 0 && this.eps <= 1, OWNER, 'eps',
        'a number in the range (0, 1]', this.eps);
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number|null)[];
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
    const n = this.normalizedShape.length;
    const trailing = shape.slice(Math.max(0, shape.length - n));
    const ok = shape.length >= n &&
        trailing.every((d, i) => d == null || d === this.normalizedShape[i]);
    if (!ok) {
      throw new Error(`${OWNER}: the input's last ${n} dims must equal 'normalizedShape' ` +
                      `[${this.normalizedShape}], but got input shape ` +
                      `[${shape.map(d => d ?? 'null')}].`);
    }
  }

}
serialization.registerClass(RMSNorm);
