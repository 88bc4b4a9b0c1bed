// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {lrn, NormRegion} from '../ops/lrn';
import {assertFiniteNumber, assertNonNegativeInt, assertOneOf, fromSerialized} from '../util/validation';
import {Kwargs, MsLayer} from './ms_layer';
import {firstShape} from './shape_checks';

export interface LRNArgs extends LayerArgs {
  depthRadius?: number;
  bias?: number;
  alpha?: number;
  beta?: number;
  normRegion?: NormRegion;
}

/**
 * MindSpore's `nn.LRN` on NCHW input. alpha is not divided by the window size
 * (PyTorch's LocalResponseNorm divides it by `size`).
 */
export class LRN extends MsLayer {
  static className = 'LRN';
  static override readonly argKeys = ['depthRadius', 'bias', 'alpha', 'beta', 'normRegion'];
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;
  readonly normRegion: NormRegion;

  constructor(args?: LRNArgs) {
    super(args);
    this.depthRadius = args?.depthRadius ?? 5;
    this.bias = args?.bias ?? 1;
    this.alpha = args?.alpha ?? 1;
    this.beta = args?.beta ?? 0.5;
    this.normRegion =
        fromSerialized(args?.normRegion ?? 'ACROSS_CHANNELS', ['ACROSS_CHANNELS']) as NormRegion;
    assertNonNegativeInt('LRN', 'depthRadius', this.depthRadius);
    assertFiniteNumber('LRN', 'bias', this.bias);
    assertFiniteNumber('LRN', 'alpha', this.alpha);
    assertFiniteNumber('LRN', 'beta', this.beta);
    assertOneOf('LRN', 'normRegion', this.normRegion, ['ACROSS_CHANNELS']);
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    checkRank4(shape);
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    checkRank4(x.shape);
    return tidy(
        () => lrn(x, this.depthRadius, this.bias, this.alpha, this.beta, this.normRegion));
  }
}
serialization.registerClass(LRN);

function checkRank4(shape: (number|null)[]): void {
  if (shape.length !== 4) {
    throw new Error(`LRN: expected input of rank 4 (N, C, H, W), but got input shape ` +
                    `[${shape.map(d => d ?? 'null')}] (rank ${shape.length}).`);
  }
}
