// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {l2Normalize} from '../ops/l2_normalize';
import {assertArg, assertPositive, isInteger, normalizeAxes} from '../util/validation';
import {Kwargs, MsLayer} from './ms_layer';
import {firstShape} from './shape_checks';

export interface L2NormalizeArgs extends LayerArgs {
  /** Axis or axes to normalize over, negative counts from the end. Default 0 (MindSpore). */
  axis?: number|number[];
  /** Lower bound of the sum of squares. Default 1e-4. */
  epsilon?: number;
}

/** MindSpore's `ops.L2Normalize` as a layer: `x / sqrt(max(sum(x^2 over axis), epsilon))`. */
export class L2Normalize extends MsLayer {
  static className = 'L2Normalize';
  static override readonly argKeys = ['axis', 'epsilon'];
  readonly axis: number|number[];
  readonly epsilon: number;

  constructor(args?: L2NormalizeArgs) {
    super(args);
    this.axis = args?.axis ?? 0;
    this.epsilon = args?.epsilon ?? 1e-4;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    assertArg(axes.length > 0 && axes.every(isInteger), 'L2Normalize', 'axis',
        'an integer or a non-empty list of integers', this.axis);
    assertPositive('L2Normalize', 'epsilon', this.epsilon);
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    // An axis outside the input's rank fails when the model is assembled, with the layer's name.
    normalizeAxes('L2Normalize', 'axis', this.axis, shape.length);
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => l2Normalize(this.singleInput(inputs), this.axis, this.epsilon));
  }
}
serialization.registerClass(L2Normalize);
