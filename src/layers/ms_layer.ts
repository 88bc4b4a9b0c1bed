import {Tensor} from '@tensorflow/tfjs-core';
import {layers, LayerVariable} from '@tensorflow/tfjs-layers';

import {InitializerConfig, InitializerIdentifier, resolveInitializer} from './initializers';

/** The keyword arguments tfjs passes to Layer.call. */
export type Kwargs = {[key: string]: unknown};

/**
 * Base of every layer in this package. It adds MindSpore's cell state:
 * `setTrain(mode)` (MindSpore's `set_train`; networks start in inference
 * mode), used when a call carries no tfjs `training` kwarg. `fit()` passes
 * training = true; `predict()`, `evaluate()` and direct calls pass none, so
 * they follow setTrain.
 */
export abstract class MsLayer extends layers.Layer {
  protected trainMode = false;

  /** MindSpore's `Cell.set_train`: true for training, false for inference. */
  setTrain(mode = true): this {
    this.trainMode = mode;
    return this;
  }

  /** Whether this call runs in training mode. */
  protected isTraining(kwargs: Kwargs|undefined): boolean {
    const training = kwargs?.['training'];
    return training == null ? this.trainMode : Boolean(training);
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
    const {initializer} =
        resolveInitializer(init as InitializerIdentifier, this.getClassName(), name, size);
    return this.addWeight(name, shape, 'float32', initializer, undefined, trainable);
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

/** True for the layers of this package (they have MindSpore's setTrain). */
export function isMsLayer(layer: unknown): layer is MsLayer {
  return layer instanceof MsLayer;
}
