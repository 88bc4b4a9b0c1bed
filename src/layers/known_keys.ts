// SPDX-License-Identifier: Apache-2.0
import {argError} from '../util/validation';

/**
 * The base tfjs LayerArgs every layer accepts (and getConfig() writes back),
 * plus `customObjects`, which tfjs-layers adds to every config it deserializes.
 */
export const LAYER_ARG_KEYS = [
  'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'name', 'trainable', 'weights',
  'inputDType', 'customObjects',
];

/**
 * Rejects keys that are neither tfjs LayerArgs nor the layer's own: a
 * misspelt option (`epsilon` for `eps`) would otherwise be silently ignored.
 */
export function assertKnownKeys(owner: string, args: object, own: readonly string[]): void {
  const allowed = [...own, ...LAYER_ARG_KEYS];
  const unknown = Object.keys(args).filter(k => !allowed.includes(k));
  if (unknown.length > 0) {
    throw argError(owner, 'args', `an object with keys among ${own.join(', ')} (and tfjs ` +
                   `LayerArgs)`, `unknown key '${unknown[0]}'`);
  }
}
