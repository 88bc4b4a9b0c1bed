// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {layerNorm} from '../ops/layer_norm';
import {assertArg, isFiniteNumber, isInteger} from '../util/validation';
import {InitializerConfig, InitializerIdentifier, resolveInitializer} from './initializers';
import {Kwargs, MsLayer} from './ms_layer';
import {firstShape} from './shape_checks';
import {AFFINE_WEIGHTS} from './weight_names';

export interface LayerNormArgs extends LayerArgs {
  /** Shape of gamma and beta: the input's shape from beginParamsAxis on. */
  normalizedShape: number[];
  /** First axis of the normalized block, in [-1, rank). Default -1 (MindSpore nn). */
  beginNormAxis?: number;
  /** First axis gamma/beta cover, in [-1, rank). Default -1 (MindSpore nn). */
  beginParamsAxis?: number;
  gammaInit?: InitializerIdentifier;
  betaInit?: InitializerIdentifier;
  /** Default 1e-7 (PyTorch 1e-5, tfjs layerNormalization 1e-3). */
  epsilon?: number;
}

/**
 * MindSpore's `nn.LayerNorm`: mean and biased variance over
 * [beginNormAxis, rank), then `* gamma + beta` with gamma/beta of shape
 * x.shape[beginParamsAxis:]. The same in training and inference.
 */
export class LayerNorm extends MsLayer {
  static className = 'LayerNorm';
  static override readonly argKeys = [
    'normalizedShape', 'beginNormAxis', 'beginParamsAxis', 'gammaInit', 'betaInit', 'epsilon',
  ];
  /** The weights build() adds, by role. */
  static readonly weightNames = AFFINE_WEIGHTS;
  readonly normalizedShape: number[];
  readonly beginNormAxis: number;
  readonly beginParamsAxis: number;
  readonly gammaInit: InitializerConfig;
  readonly betaInit: InitializerConfig;
  readonly epsilon: number;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;

  constructor(args: LayerNormArgs) {
    super(args, 'an object with normalizedShape');
    const owner = 'LayerNorm';
    const shape = args.normalizedShape;
    assertArg(Array.isArray(shape) && shape.length > 0 &&
                  shape.every(d => isInteger(d) && d >= 1),
        owner, 'normalizedShape', 'a non-empty list of positive integers', shape);
    this.normalizedShape = [...shape];
    this.beginNormAxis = args.beginNormAxis ?? -1;
    this.beginParamsAxis = args.beginParamsAxis ?? -1;
    for (const [arg, v] of [['beginNormAxis', this.beginNormAxis],
                            ['beginParamsAxis', this.beginParamsAxis]] as const) {
      assertArg(isInteger(v) && v >= -1, owner, arg, 'an integer >= -1', v);
    }
    this.epsilon = args.epsilon ?? 1e-7;
    assertArg(isFiniteNumber(this.epsilon) && this.epsilon >= 0, owner, 'epsilon',
        'a finite number >= 0', this.epsilon);
    const size = this.normalizedShape.reduce((a, b) => a * b, 1);
    this.gammaInit = resolveInitializer(args.gammaInit ?? 'ones', owner, 'gammaInit', size).config;
    this.betaInit = resolveInitializer(args.betaInit ?? 'zeros', owner, 'betaInit', size).config;
  }

  override build(inputShape: (number|null)[]|(number|null)[][]): void {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    this.buildWeights(() => {
      this.gamma =
          this.addShapedWeight(AFFINE_WEIGHTS.gamma, this.normalizedShape, this.gammaInit, true);
      this.beta =
          this.addShapedWeight(AFFINE_WEIGHTS.beta, this.normalizedShape, this.betaInit, true);
    });
    this.built = true;
  }

  override call(inputs: Tensor|Tensor[], _kwargs: Kwargs): Tensor {
    const x = this.singleInput(inputs);
    // A built layer can be applied to any tensor: check it again, with the layer's name.
    this.checkInputShape(x.shape);
    return tidy(() => layerNorm(x, this.gamma!.read(), this.beta!.read(), {
      beginNormAxis: this.beginNormAxis,
      beginParamsAxis: this.beginParamsAxis,
      epsilon: this.epsilon,
    }).y);
  }

  private checkInputShape(shape: (number|null)[]): void {
    const rank = shape.length;
    const show = `[${shape.map(d => d ?? 'null')}]`;
    for (const [arg, v] of [['beginNormAxis', this.beginNormAxis],
                            ['beginParamsAxis', this.beginParamsAxis]] as const) {
      if (v >= rank) {
        throw new Error(`LayerNorm: '${arg}' must be in the range [-1, ${rank}) for input shape ` +
                        `${show}, but got ${v}.`);
      }
    }
    const bpa = this.beginParamsAxis < 0 ? rank - 1 : this.beginParamsAxis;
    const covered = shape.slice(bpa);
    const matches = covered.length === this.normalizedShape.length &&
        covered.every((d, i) => d == null || d === this.normalizedShape[i]);
    if (!matches) {
      throw new Error(`LayerNorm: 'normalizedShape' must equal the input shape from ` +
                      `beginParamsAxis (${this.beginParamsAxis}) on, [${covered.map(d => d ?? 'null')}], ` +
                      `but got [${this.normalizedShape}] (input shape ${show}).`);
    }
  }
}
serialization.registerClass(LayerNorm);
