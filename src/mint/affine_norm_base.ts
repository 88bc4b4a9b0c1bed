// SPDX-License-Identifier: Apache-2.0
import {Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {Kwargs, MsLayer} from '../layers/ms_layer';
import {firstShape, InputShape} from '../layers/shape_checks';
import {MINT_AFFINE_WEIGHTS} from '../layers/weight_names';

/** The arguments mint's GroupNorm and LayerNorm share. */
export interface MintAffineNormArgs extends LayerArgs {
  /** Added to the variance. Default 1e-5, PyTorch's (nn.LayerNorm's is 1e-7). */
  eps?: number;
}

/** The shape of a layer's weight and bias, and which of them it has. */
export interface AffineParams {
  shape: number[];
  weight: boolean;
  bias: boolean;
}

/**
 * mint's GroupNorm and LayerNorm: PyTorch's optional `weight` (ones) and
 * `bias` (zeros) of one shape, trained when they exist; the same in training
 * and inference. A mint cell starts in training mode (MindSpore calls
 * set_train() in its constructor).
 */
export abstract class MintAffineNormBase extends MsLayer {
  /** The weights build() adds (when the layer has them), by role. */
  static readonly weightNames = MINT_AFFINE_WEIGHTS;
  private weightVar?: LayerVariable;
  private biasVar?: LayerVariable;

  constructor(args: LayerArgs, required: string) {
    super(args, required);
    this.trainMode = true;
  }

  /** Throws, with the layer's name, when the input cannot be normalized. */
  protected abstract checkInputShape(shape: InputShape): void;

  protected abstract params(): AffineParams;

  /** The layer's op; null for a missing weight or bias. */
  protected abstract normalize(x: Tensor, weight: Tensor|null, bias: Tensor|null): Tensor;

  override build(inputShape: InputShape|InputShape[]): void {
    this.checkInputShape(firstShape(inputShape));
    const {shape, weight, bias} = this.params();
    this.buildWeights(() => {
      if (weight) {
        this.weightVar = this.addShapedWeight(MINT_AFFINE_WEIGHTS.weight, shape, 'ones', true);
      }
      if (bias) {
        this.biasVar = this.addShapedWeight(MINT_AFFINE_WEIGHTS.bias, shape, 'zeros', true);
      }
    });
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    this.checkInputShape(x.shape);
    return tidy(() => this.normalize(x, this.weightVar?.read() ?? null,
                                     this.biasVar?.read() ?? null));
  }
}
