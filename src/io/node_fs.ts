/**
 * Synchronous file reading in Node, without a top-level import of 'fs' so the
 * browser bundle never pulls it in. Node >= 20.16 exposes built-ins through
 * process.getBuiltinModule (works from ES modules too); older Node falls back
 * to CommonJS require.
 */

interface NodeFs {
  readFileSync(path: string): Uint8Array;
}

interface NodeProcess {
  versions?: {node?: string};
  getBuiltinModule?: (id: string) => unknown;
}

declare const require: ((id: string) => unknown)|undefined;

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

/** The bytes of a file, or an error saying that paths need Node. */
export function readFileBytes(path: string, owner: string): Uint8Array {
  const fs = nodeFs();
  if (fs == null) {
    throw new Error(
        `${owner}: reading a file path needs Node's 'fs'; in the browser pass the file's bytes ` +
        `(a Uint8Array or ArrayBuffer, e.g. from (await fetch(url)).arrayBuffer()), but got ` +
        `the path '${path}'.`);
  }
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new Error(`${owner}: cannot read '${path}': ${(e as Error).message}`);
  }
}
