// SPDX-License-Identifier: Apache-2.0
import {Tensor, tidy} from '@tensorflow/tfjs-core';

import {instanceNorm} from '../ops/instance_norm';
import {ChannelAffineArgs, ChannelAffineBase} from './channel_affine_base';
import {Kwargs} from './ms_layer';
import {firstShape} from './shape_checks';

export interface InstanceNormArgs extends ChannelAffineArgs {
  /** Validated and kept for checkpoints; it changes nothing (as in MindSpore). */
  momentum?: number;
}

/**
 * MindSpore's `nn.InstanceNorm1d/2d/3d`: every (n, c) slice normalized with
 * its own mean and biased variance, in training and inference alike. The
 * moving_mean / moving_variance weights exist so MindSpore checkpoints load,
 * but they are never used or updated.
 */
export abstract class InstanceNormBase extends ChannelAffineBase {
  constructor(args: InstanceNormArgs) {
    super(args, 0.1);
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    this.addChannelWeights('zeros', 'ones');
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    this.checkInputShape(x.shape);
    return tidy(() => instanceNorm(x, this.gamma!.read(), this.beta!.read(), this.eps));
  }
}
