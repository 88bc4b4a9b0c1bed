// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor} from '@tensorflow/tfjs-core';

import {assertTrailingDims, InputShape} from '../layers/shape_checks';
import {assertArg, assertPositive, readNormalizedShape} from '../util/validation';
import {AffineParams, MintAffineNormArgs, MintAffineNormBase} from './affine_norm_base';
import {layerNorm} from './functional/layer_norm';

export interface MintLayerNormArgs extends MintAffineNormArgs {
  /** The trailing dims normalized together: an int or a list. */
  normalizedShape: number|number[];
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
export class MintLayerNorm extends MintAffineNormBase {
  static className = OWNER;
  static override readonly argKeys = ['normalizedShape', 'eps', 'elementwiseAffine', 'bias'];
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly bias: boolean;

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
  }

  protected params(): AffineParams {
    const weight = this.elementwiseAffine;
    return {shape: this.normalizedShape, weight, bias: weight && this.bias};
  }

  protected normalize(x: Tensor, weight: Tensor|null, bias: Tensor|null): Tensor {
    return layerNorm(x, this.normalizedShape, weight, bias, this.eps);
  }

  protected checkInputShape(shape: InputShape): void {
    assertTrailingDims(OWNER, shape, this.normalizedShape);
  }
}
serialization.registerClass(MintLayerNorm);
