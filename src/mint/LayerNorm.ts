// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {Kwargs, MsLayer} from '../layers/ms_layer';
import {MINT_AFFINE_WEIGHTS} from '../layers/weight_names';
import {assertArg, assertPositive} from '../util/validation';
import {layerNorm, readNormalizedShape} from './functional/layer_norm';

export interface MintLayerNormArgs extends LayerArgs {
  /** The trailing dims normalized together: an int or a list. */
  normalizedShape: number|number[];
  /** Default 1e-5 (nn.LayerNorm: 1e-7). */
  eps?: number;
  /** Whether `weight` (ones) exists, and `bias` when `bias` is true. Default true. */
  elementwiseAffine?: boolean;
  /** Whether `bias` exists (with elementwiseAffine). Default true. */
  bias?: boolean;
}

const OWNER = 'MintLayerNorm';

/**
 * MindSpore's `mint.nn.LayerNorm(normalized_shape, eps=1e-5,
 * elementwise_affine=True, bias=True)` (PyTorch's): statistics over the
 * trailing normalizedShape dims, parameters `weight`/`bias` of that shape.
 * The same in training and inference.
 */
export class MintLayerNorm extends MsLayer {
  static className = OWNER;
  static override readonly argKeys = ['normalizedShape', 'eps', 'elementwiseAffine', 'bias'];
  /** The weights build() adds (with elementwiseAffine; bias with bias), by role. */
  static readonly weightNames = MINT_AFFINE_WEIGHTS;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly bias: boolean;
  private weightVar?: LayerVariable;
  private biasVar?: LayerVariable;

  constructor(args: MintLayerNormArgs) {
    super(args, 'an object with normalizedShape');
    this.normalizedShape = readNormalizedShape(OWNER, args.normalizedShape);
    this.eps = args.eps ?? 1e-5;
    assertPositive(OWNER, 'eps', this.eps);
    this.elementwiseAffine = args.elementwiseAffine ?? true;
    assertArg(typeof this.elementwiseAffine === 'boolean', OWNER, 'elementwiseAffine',
        'true or false', this.elementwiseAffine);
    this.bias = args.bias ?? true;
    assertArg(typeof this.bias === 'boolean', OWNER, 'bias', 'true or false', this.bias);
    this.trainMode = true;
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number|null)[];
    this.checkInputShape(shape);
    const paramShape = this.normalizedShape;
    this.buildWeights(() => {
      if (this.elementwiseAffine) {
        this.weightVar = this.addShapedWeight(MINT_AFFINE_WEIGHTS.weight, paramShape, 'ones', true);
        if (this.bias) {
          this.biasVar = this.addShapedWeight(MINT_AFFINE_WEIGHTS.bias, paramShape, 'zeros', true);
        }
      }
    });
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    this.checkInputShape(x.shape);
    return tidy(() => layerNorm(x, this.normalizedShape, this.weightVar?.read() ?? null,
                                this.biasVar?.read() ?? null, this.eps));
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
serialization.registerClass(MintLayerNorm);
