import {isMsLayer} from './ms_layer';

interface HasLayers {
  layers: unknown[];
}

/**
 * MindSpore's `net.set_train(mode)` for a tfjs model: sets the mode of every
 * layer of this package in `model`, including inside nested models. It only
 * matters for calls that carry no `training` kwarg (predict(), evaluate(),
 * direct layer calls); fit() always trains. Returns the number of layers set.
 */
export function setTrain(model: HasLayers, mode = true): number {
  let count = 0;
  for (const layer of model.layers) {
    if (isMsLayer(layer)) {
      layer.setTrain(mode);
      count++;
    } else if (layer != null && Array.isArray((layer as HasLayers).layers)) {
      count += setTrain(layer as HasLayers, mode);
    }
  }
  return count;
}
