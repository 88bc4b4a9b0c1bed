// SPDX-License-Identifier: Apache-2.0
import {serialization, Tensor} from '@tensorflow/tfjs-core';
import {layers, LayerVariable} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';

import {argError} from '../util/validation';
import {InitializerConfig, resolveInitializer} from './initializers';
import {checkLayerArgs} from './layer_args';

/**
 * Marks the layers of this package. A registry symbol, not `instanceof`: the
 * ESM and the CommonJS build (or two installs) loaded in one process have two
 * MsLayer classes, and setTrain must reach the layers of both.
 */
const MS_LAYER_BRAND = Symbol.for('tfjs-mindspore-norm.MsLayer');

/** The keyword arguments tfjs passes to Layer.call. */
export type Kwargs = {[key: string]: unknown};

/** tfjs-layers' private weight bookkeeping, rolled back when build() fails half-way. */
interface WeightLists {
  _trainableWeights: LayerVariable[];
  _nonTrainableWeights: LayerVariable[];
  _addedWeightNames: string[];
}

/**
 * Base of every layer in this package. It adds MindSpore's cell state:
 * `setTrain(mode)` (MindSpore's `set_train`; networks start in inference
 * mode), used when a call carries no tfjs `training` kwarg. `fit()` passes
 * training = true; `predict()`, `evaluate()` and direct calls pass none, so
 * they follow setTrain.
 */
export abstract class MsLayer extends layers.Layer {
  /**
   * The layer's own constructor arguments (beside LayerArgs'): the only keys
   * its args may have, and what getConfig() writes back from the fields of
   * the same names, so a config read from model.json is exactly what the
   * constructor takes.
   */
  static readonly argKeys: readonly string[] = [];

  protected trainMode = false;

  /** See MS_LAYER_BRAND. */
  readonly [MS_LAYER_BRAND] = true;

  /**
   * Checks args (an object of argKeys and LayerArgs) before tfjs's Layer reads
   * it. `required` says what a missing object lacks; without it args may be
   * left out.
   */
  constructor(args: LayerArgs|undefined, required?: string) {
    const cls = new.target as unknown as {className: string, argKeys: readonly string[]};
    super(checkLayerArgs(cls.className, args, cls.argKeys, required));
  }

  override getConfig(): serialization.ConfigDict {
    const keys = (this.constructor as typeof MsLayer).argKeys;
    const fields = this as unknown as Record<string, serialization.ConfigDictValue>;
    return {...super.getConfig(), ...Object.fromEntries(keys.map(key => [key, fields[key]]))};
  }

  /** MindSpore's `Cell.set_train`: true for training, false for inference. */
  setTrain(mode = true): this {
    if (typeof mode !== 'boolean') {
      throw argError(`${this.getClassName()}.setTrain`, 'mode', 'true or false', mode);
    }
    this.trainMode = mode;
    return this;
  }

  /** The mode setTrain last set (false until then, as MindSpore's cells start in inference). */
  get trainingMode(): boolean {
    return this.trainMode;
  }

  /** Whether this call runs in training mode. */
  protected isTraining(kwargs: Kwargs|undefined): boolean {
    const training = kwargs?.['training'];
    return training == null ? this.trainMode : Boolean(training);
  }

  /**
   * Runs build()'s weight creation so that an initializer failing half-way
   * leaves neither the weights made before it (their tensors) nor their names
   * behind: a retried build() starts clean.
   */
  protected buildWeights(add: () => void): void {
    const lists = this as unknown as WeightLists;
    const trainable = lists._trainableWeights.length;
    const nonTrainable = lists._nonTrainableWeights.length;
    const names = lists._addedWeightNames.length;
    try {
      add();
    } catch (e) {
      const made = [...lists._trainableWeights.splice(trainable),
                    ...lists._nonTrainableWeights.splice(nonTrainable)];
      made.forEach(w => w.dispose());
      lists._addedWeightNames.splice(names);
      throw e;
    }
  }

  /** Adds a float32 weight of shape [size] from an initializer identifier. */
  protected addChannelWeight(
      name: string, size: number, init: InitializerConfig, trainable: boolean): LayerVariable {
    return this.addShapedWeight(name, [size], init, trainable);
  }

  /** Adds a float32 weight of any shape from an initializer identifier. */
  protected addShapedWeight(
      name: string, shape: number[], init: InitializerConfig, trainable: boolean): LayerVariable {
    const size = shape.reduce((a, b) => a * b, 1);
    const owner = this.getClassName();
    const {initializer} = resolveInitializer(init, owner, name, size);
    try {
      return this.addWeight(name, shape, 'float32', initializer, undefined, trainable);
    } catch (e) {
      throw new Error(`${owner}: the initializer of weight '${name}' must make a float32 ` +
                      `tensor of shape [${shape}], but it failed: ${(e as Error).message}`);
    }
  }

  protected singleInput(inputs: Tensor|Tensor[]): Tensor {
    if (Array.isArray(inputs)) {
      if (inputs.length !== 1) {
        throw new Error(
            `${this.getClassName()}: expected exactly one input tensor, but got ${inputs.length}.`);
      }
      return inputs[0];
    }
    return inputs;
  }
}

/**
 * True for the layers of this package (they have MindSpore's setTrain), made
 * by any copy of it.
 */
export function isMsLayer(layer: unknown): layer is MsLayer {
  return layer != null && typeof layer === 'object' &&
      (layer as {[MS_LAYER_BRAND]?: unknown})[MS_LAYER_BRAND] === true &&
      typeof (layer as MsLayer).setTrain === 'function';
}
