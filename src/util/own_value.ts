// SPDX-License-Identifier: Apache-2.0
/**
 * table[key] when key is the table's own property. Names from files and
 * configs index lookup tables; 'constructor', 'toString' or '__proto__' must
 * not reach Object.prototype.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T|undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
