// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {Kwargs, MsLayer} from '../layers/ms_layer';
import {assertChannels} from '../layers/shape_checks';
import {MINT_AFFINE_WEIGHTS} from '../layers/weight_names';
import {groupNorm} from '../ops/group_norm';
import {assertArg, assertPositive, assertPositiveInt} from '../util/validation';

export interface MintGroupNormArgs extends LayerArgs {
  numGroups: number;
  numChannels: number;
  /** Default 1e-5. */
  eps?: number;
  /** Whether `weight` (ones) and `bias` (zeros) exist (and train). Default true. */
  affine?: boolean;
}

const OWNER = 'MintGroupNorm';

/**
 * MindSpore's `mint.nn.GroupNorm(num_groups, num_channels, eps=1e-5,
 * affine=True)` on (N, C, *): the MsGroupNorm kernel with PyTorch's
 * parameters (`weight`/`bias`, absent when affine is false). The same in
 * training and inference.
 */
export class MintGroupNorm extends MsLayer {
  static className = OWNER;
  static override readonly argKeys = ['numGroups', 'numChannels', 'eps', 'affine'];
  /** The weights build() adds (with affine), by role. */
  static readonly weightNames = MINT_AFFINE_WEIGHTS;
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  private weight?: LayerVariable;
  private bias?: LayerVariable;

  constructor(args: MintGroupNormArgs) {
    super(args, 'an object with numGroups and numChannels');
    assertPositiveInt(OWNER, 'numGroups', args.numGroups);
    assertPositiveInt(OWNER, 'numChannels', args.numChannels);
    if (args.numChannels % args.numGroups !== 0) {
      throw new Error(`${OWNER}: 'numChannels' (${args.numChannels}) must be divisible by ` +
                      `'numGroups' (${args.numGroups}).`);
    }
    this.numGroups = args.numGroups;
    this.numChannels = args.numChannels;
    this.eps = args.eps ?? 1e-5;
    assertPositive(OWNER, 'eps', this.eps);
    this.affine = args.affine ?? true;
    assertArg(typeof this.affine === 'boolean', OWNER, 'affine', 'true or false', this.affine);
    this.trainMode = true;
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number|null)[];
    this.checkInputShape(shape);
    if (this.affine) {
      const c = this.numChannels;
      this.buildWeights(() => {
        this.weight = this.addChannelWeight(MINT_AFFINE_WEIGHTS.weight, c, 'ones', true);
        this.bias = this.addChannelWeight(MINT_AFFINE_WEIGHTS.bias, c, 'zeros', true);
      });
    }
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    this.checkInputShape(x.shape);
    return tidy(() => groupNorm(x, this.numGroups, this.weight?.read() ?? null,
                                this.bias?.read() ?? null, this.eps));
  }

  private checkInputShape(shape: (number|null)[]): void {
    assertChannels(OWNER, shape, 1, this.numChannels, 'numChannels', r => r >= 2,
        'rank >= 2 (N, C, *)');
  }

}
serialization.registerClass(MintGroupNorm);
