// SPDX-License-Identifier: Apache-2.0
/**
 * Synchronous file reading in Node, without a top-level import of 'fs' so the
 * browser bundle never pulls it in. Node >= 20.16 exposes built-ins through
 * process.getBuiltinModule (works from ES modules too); older Node falls back
 * to CommonJS require.
 *
 * Only regular files are read, and only up to a size limit: a FIFO would
 * block forever and /dev/zero would grow without bound. The file is opened
 * non-blocking (so opening a FIFO cannot hang) and checked with fstat on the
 * open descriptor (so it cannot be swapped between the check and the read).
 */

interface Stats {
  size: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}

interface NodeFs {
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): Stats;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number):
      number;
  closeSync(fd: number): void;
  constants: {O_RDONLY: number, O_NONBLOCK?: number};
}

interface NodeProcess {
  versions?: {node?: string};
  getBuiltinModule?: (id: string) => unknown;
}

declare const require: ((id: string) => unknown)|undefined;

/** readSync takes an int32 length: read big files in chunks. */
const READ_CHUNK = 1 << 30;

function nodeFs(): NodeFs|null {
  const proc = (globalThis as {process?: NodeProcess}).process;
  if (proc?.versions?.node == null) {
    return null;
  }
  if (typeof proc.getBuiltinModule === 'function') {
    return proc.getBuiltinModule('fs') as NodeFs;
  }
  try {
    return typeof require === 'function' ? require('fs') as NodeFs : null;
  } catch {
    return null;  // an ES module on old Node: bundlers' require shims throw
  }
}

function kindOf(st: Stats): string {
  return st.isDirectory() ? 'a directory' :
      st.isFIFO()         ? 'a FIFO (named pipe)' :
      st.isCharacterDevice() ? 'a character device' :
      st.isBlockDevice()  ? 'a block device' :
      st.isSocket()       ? 'a socket' :
                            'not a regular file';
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them, or an
 * Error naming `owner`, the path and what was wrong.
 */
export function readFileBytes(path: string, owner: string, maxBytes: number): Uint8Array {
  const fs = nodeFs();
  if (fs == null) {
    throw new Error(
        `${owner}: reading a file path needs Node's 'fs'; in the browser pass the file's bytes ` +
        `(a Uint8Array or ArrayBuffer, e.g. from (await fetch(url)).arrayBuffer()), but got ` +
        `the path '${path}'.`);
  }
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new Error(`${owner}: cannot read '${path}': ${(e as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      throw new Error(
          `${owner}: 'source' must be the path of a regular file, but '${path}' is ` +
          `${kindOf(st)}.`);
    }
    if (st.size > maxBytes) {
      throw new Error(
          `${owner}: '${path}' is ${st.size} bytes, more than options.maxBytes (${maxBytes}); ` +
          `pass a larger maxBytes to read it.`);
    }
    const out = new Uint8Array(st.size);
    let offset = 0;
    while (offset < st.size) {
      const n = fs.readSync(fd, out, offset, Math.min(READ_CHUNK, st.size - offset), offset);
      if (n === 0) {
        throw new Error(
            `${owner}: '${path}' shrank while it was read (${offset} of ${st.size} bytes).`);
      }
      offset += n;
    }
    return out;
  } catch (e) {
    if ((e as Error).message.startsWith(owner)) {
      throw e;
    }
    throw new Error(`${owner}: cannot read '${path}': ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}
