// SPDX-License-Identifier: Apache-2.0
/** Option-object checks: an object, and only known keys (a misspelling is an error). */
import {argError} from '../util/validation';

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1,
                            previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known key a misspelled one most likely means ('slice_bytes', 'slicebytes' -> 'sliceBytes'). */
function suggest(given: string, known: readonly string[]): string|undefined {
  const plain = (s: string) => s.toLowerCase().replace(/_/g, '');
  const same = known.find(k => plain(k) === plain(given));
  if (same != null) {
    return same;
  }
  let best: string|undefined;
  let bestDistance = 3;  // beyond two edits a guess misleads more than it helps
  for (const k of known) {
    const d = distance(plain(given), plain(k));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws unless `options` is a plain object whose own keys are all in
 * `known`, naming the unknown key and the likely intended one.
 */
export function checkOptionKeys(owner: string, options: unknown, known: readonly string[]): void {
  if (options == null || typeof options !== 'object' || Array.isArray(options)) {
    throw argError(owner, 'options', 'an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const guess = suggest(key, known);
      throw new Error(
          `${owner}: 'options' has the unknown key '${key}'` +
          `${guess != null ? ` (did you mean '${guess}'?)` : ''}; the options are ` +
          `${known.map(k => `'${k}'`).join(', ')}.`);
    }
  }
}
