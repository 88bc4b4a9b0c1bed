// SPDX-License-Identifier: Apache-2.0
/**
 * Orders strings by Unicode code point, as Python's sorted() and Rust's
 * String ordering do (JavaScript's < compares UTF-16 code units, which
 * differs for characters beyond U+FFFF).
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) {
      return ca - cb;
    }
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
}
