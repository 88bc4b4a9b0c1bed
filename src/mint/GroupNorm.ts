// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor} from '@tensorflow/tfjs-core';

import {assertChannels, assertGroups, InputShape} from '../layers/shape_checks';
import {groupNorm} from '../ops/group_norm';
import {assertArg, assertPositive} from '../util/validation';
import {AffineParams, MintAffineNormArgs, MintAffineNormBase} from './affine_norm_base';

export interface MintGroupNormArgs extends MintAffineNormArgs {
  numGroups: number;
  numChannels: number;
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
export class MintGroupNorm extends MintAffineNormBase {
  static className = OWNER;
  static override readonly argKeys = ['numGroups', 'numChannels', 'eps', 'affine'];
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;

  constructor(args: MintGroupNormArgs) {
    super(args, 'an object with numGroups and numChannels');
    assertGroups(OWNER, args.numGroups, args.numChannels);
    this.numGroups = args.numGroups;
    this.numChannels = args.numChannels;
    this.eps = args.eps ?? 1e-5;
    assertPositive(OWNER, 'eps', this.eps);
    this.affine = args.affine ?? true;
    assertArg(typeof this.affine === 'boolean', OWNER, 'affine', 'true or false', this.affine);
  }

  protected params(): AffineParams {
    return {shape: [this.numChannels], weight: this.affine, bias: this.affine};
  }

  protected normalize(x: Tensor, weight: Tensor|null, bias: Tensor|null): Tensor {
    return groupNorm(x, this.numGroups, weight, bias, this.eps);
  }

  protected checkInputShape(shape: InputShape): void {
    assertChannels(OWNER, shape, 1, this.numChannels, 'numChannels', r => r >= 2,
        'rank >= 2 (N, C, *)');
  }
}
serialization.registerClass(MintGroupNorm);
