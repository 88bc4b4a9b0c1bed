// SPDX-License-Identifier: Apache-2.0
/** The bytes of a checkpoint source: a path (Node), an ArrayBuffer or a view. */
import {describe} from '../util/validation';
import {readFileBytes} from './node_fs';

/** The source of a checkpoint: its bytes, or (in Node) a file path. */
export type CheckpointSource = Uint8Array|ArrayBuffer|ArrayBufferView|string;

// Object.prototype.toString, not instanceof: buffers from another realm (a
// worker, an iframe, Node's vm) are not instances of this realm's classes.
const classOf = (v: unknown) => Object.prototype.toString.call(v).slice(8, -1);

function isDetached(buffer: ArrayBuffer): boolean {
  const detached = (buffer as {detached?: unknown}).detached;
  if (typeof detached === 'boolean') {
    return detached;
  }
  if (buffer.byteLength > 0) {
    return false;
  }
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;  // engines without ArrayBuffer.prototype.detached refuse to view it
  }
}

function describeSource(source: unknown): string {
  if (source == null || typeof source !== 'object' || Array.isArray(source)) {
    return describe(source);
  }
  const name = (source as {constructor?: {name?: unknown}}).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` :
                                                                        describe(source);
}

/**
 * The source's bytes. A SharedArrayBuffer is copied first, so another thread
 * cannot change the bytes while they are decoded.
 */
export function sourceBytes(source: CheckpointSource, owner: string, maxBytes: number):
    Uint8Array {
  if (typeof source === 'string') {
    return readFileBytes(source, owner, maxBytes);
  }
  const detachedError = () => new Error(
      `${owner}: 'source' is a detached ArrayBuffer (its memory was transferred elsewhere, e.g. ` +
      `to a worker or by structuredClone): pass a buffer that still holds the file's bytes.`);
  const kind = classOf(source);
  if (kind === 'ArrayBuffer') {
    if (isDetached(source as ArrayBuffer)) {
      throw detachedError();
    }
    return new Uint8Array(source as ArrayBuffer);
  }
  if (kind === 'SharedArrayBuffer') {
    return new Uint8Array(source as unknown as ArrayBuffer).slice();
  }
  if (ArrayBuffer.isView(source)) {
    const {buffer, byteOffset, byteLength} = source;
    if (classOf(buffer) === 'SharedArrayBuffer') {
      return new Uint8Array(buffer, byteOffset, byteLength).slice();
    }
    if (isDetached(buffer as ArrayBuffer)) {
      throw detachedError();
    }
    return new Uint8Array(buffer, byteOffset, byteLength);
  }
  throw new Error(
      `${owner}: 'source' must be a Uint8Array, an ArrayBuffer or (in Node) a file path, but ` +
      `got ${describeSource(source)}.`);
}
