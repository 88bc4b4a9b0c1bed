// SPDX-License-Identifier: Apache-2.0
import {argError} from '../util/validation';
import {isMsLayer} from './ms_layer';

interface HasLayers {
  layers: unknown[];
}

function hasLayers(v: unknown): v is HasLayers {
  return v != null && typeof v === 'object' && Array.isArray((v as HasLayers).layers);
}

/**
 * MindSpore's `net.set_train(mode)` for a tfjs model: sets the mode of every
 * layer of this package in `model`, including inside nested models. It only
 * matters for calls that carry no `training` kwarg (predict(), evaluate(),
 * direct layer calls); fit() always trains. Returns the number of layers set.
 */
export function setTrain(model: HasLayers, mode = true): number {
  if (!hasLayers(model)) {
    throw argError('setTrain', 'model', 'a tf.LayersModel (an object with a layers list)', model);
  }
  if (typeof mode !== 'boolean') {
    throw argError('setTrain', 'mode', 'true or false', mode);
  }
  let count = 0;
  for (const layer of model.layers) {
    if (isMsLayer(layer)) {
      layer.setTrain(mode);
      count++;
    } else if (hasLayers(layer)) {
      count += setTrain(layer, mode);
    }
  }
  return count;
}
