// SPDX-License-Identifier: Apache-2.0
/**
 * Unknown option keys are errors, as MindSpore raises on unknown keyword
 * arguments: a misspelled key (`epsilon` where the layer says `eps`) would
 * otherwise leave the default in place without a word.
 */
import {describe} from './validation';

// Names one convention spells differently from another (MindSpore's nn layers
// say eps, its ops epsilon; PyTorch's LRN says k for bias, dim for axis).
const SYNONYMS: ReadonlyArray<readonly string[]> =
    [['eps', 'epsilon'], ['k', 'bias'], ['dim', 'axis']];

/** `num_features` -> `numFeatures`: MindSpore's keyword names, camelCased as the package spells them. */
function camelCase(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Edits between a and b, a swap of two adjacent letters counting as one ('fliter' -> 'filter'). */
function editDistance(a: string, b: string): number {
  const d = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => i + j));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                         d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The known key a user most likely meant by `key`, if any is close enough. */
export function suggestKey(key: string, known: readonly string[]): string|undefined {
  const lower = (s: string) => s.toLowerCase().replace(/_/g, '');
  const exact = known.find(k => lower(k) === lower(camelCase(key)));
  if (exact != null) {
    return exact;
  }
  const synonym = SYNONYMS.find(group => group.includes(key))?.find(s => known.includes(s));
  if (synonym != null) {
    return synonym;
  }
  // One edit per four characters: 'epsilom' -> 'epsilon', but not 'beta' -> 'eps'.
  const limit = Math.max(1, Math.floor(key.length / 4));
  let best: string|undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const d = editDistance(lower(key), lower(k));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws when `options` has an own key outside `known`, naming the owner, the
 * key, the keys it accepts, and the one it most likely meant.
 */
export function assertKnownKeys(
    owner: string, arg: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const suggestion = suggestKey(key, known);
      const hint = suggestion == null ? '.' :
          suggestion === camelCase(key) && key !== suggestion ?
                                        `; did you mean '${suggestion}' (MindSpore's ${key})?` :
                                        `; did you mean '${suggestion}'?`;
      throw new Error(`${owner}: '${arg}' has an unknown key '${key}': its keys must be among ` +
                      `${known.map(k => `'${k}'`).join(', ')}, but got '${key}'${hint}`);
    }
  }
}

/** An options object (not null, not an array) whose keys are all among `known`. */
export function assertOptions(owner: string, arg: string, options: unknown, known: readonly string[]):
    void {
  if (options == null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${owner}: '${arg}' must be an object, but got ${describe(options)}.`);
  }
  assertKnownKeys(owner, arg, options, known);
}
