// SPDX-License-Identifier: Apache-2.0
import {assertKnownKeys} from '../util/option_keys';
import {argError} from '../util/validation';

/**
 * The arguments every tfjs layer takes (tfjs-layers' LayerArgs), which
 * getConfig() may write back, and 'customObjects', which tfjs-layers'
 * deserializer adds to every config it reads from model.json.
 */
export const LAYER_ARG_KEYS: readonly string[] = [
  'name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'weights',
  'inputDType', 'customObjects',
];

/**
 * Checks a layer constructor's argument object before tfjs's Layer reads it
 * (tfjs would fail on null with a bare TypeError): an object with only the
 * layer's own keys and LayerArgs. `required` says what a missing object lacks;
 * without it the object may be left out.
 */
export function checkLayerArgs<T extends object>(
    owner: string, args: T|null|undefined, keys: readonly string[], required?: string): T {
  if (args === undefined && required == null) {
    return {} as T;
  }
  if (args == null || typeof args !== 'object' || Array.isArray(args)) {
    throw argError(owner, 'args', required ?? 'an object (or nothing)', args);
  }
  assertKnownKeys(owner, 'args', args, [...keys, ...LAYER_ARG_KEYS]);
  return args;
}
