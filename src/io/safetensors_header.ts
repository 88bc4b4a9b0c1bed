// SPDX-License-Identifier: Apache-2.0
/**
 * The safetensors layout MindSpore >= 2.4 writes with
 * `save_checkpoint(..., format="safetensors")` (through safetensors'
 * save_file): an 8-byte little-endian header length N, N bytes of JSON
 * `{"__metadata__": {...}, name: {"dtype", "shape", "data_offsets": [begin,
 * end]}, ...}` padded with spaces, then the raw little-endian data, offsets
 * relative to its start. The header is checked completely (shape of the JSON
 * before parsing it, then every entry) before any tensor is allocated.
 */
import {MAX_PARAMETERS, MAX_RANK, MAX_SAFETENSORS_HEADER} from './limits';

/** safetensors dtype -> MindSpore tensor_type, whose decoder reads it. */
const DTYPES: Readonly<Record<string, string>> = {
  BOOL: 'Bool',
  U8: 'UInt8',
  I8: 'Int8',
  I16: 'Int16',
  U16: 'UInt16',
  F16: 'Float16',
  BF16: 'BFloat16',
  I32: 'Int32',
  U32: 'UInt32',
  F32: 'Float32',
  F64: 'Float64',
  I64: 'Int64',
  U64: 'UInt64',
};

/** The MindSpore type name of a safetensors dtype (own properties only), or undefined. */
export function typeOfDtype(dtype: string): string|undefined {
  return Object.prototype.hasOwnProperty.call(DTYPES, dtype) ? DTYPES[dtype] : undefined;
}

export const SAFETENSORS_DTYPES: readonly string[] = Object.keys(DTYPES);

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute [begin, end) of the data in the file. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Sorted by offset. */
  entries: SafetensorsEntry[];
  /** `__metadata__` (string values only), empty when absent. */
  metadata: Map<string, string>;
}

const OPEN_BRACE = 0x7b;

/** Header length of a file that starts like safetensors, else null. */
export function safetensorsHeaderLength(bytes: Uint8Array): number|null {
  if (bytes.length < 9 || bytes[8] !== OPEN_BRACE ||
      bytes[4] !== 0 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    return null;
  }
  const n = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  return n >= 2 && n <= MAX_SAFETENSORS_HEADER ? n : null;
}

/**
 * Rejects JSON that no valid header has and that would make JSON.parse build
 * far more than the header's size: nesting deeper than entry -> field ->
 * array, arrays longer than MAX_RANK, or many more fields inside entries than
 * a header has (3 per tensor, plus one metadata string per tensor and a few).
 */
function checkJsonShape(text: string, fail: (why: string) => never): void {
  let depth = 0;
  let inString = false;
  const isArray: boolean[] = [];
  const commas: number[] = [];
  let outerKeys = 0;
  let innerKeys = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++;  // skip the escaped character
      } else if (c === 0x22) {
        inString = false;
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > 3) {
        fail(`it nests deeper than a header does (at character ${i})`);
      }
      isArray[depth] = c === 0x5b;
      commas[depth] = 0;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && isArray[depth] && ++commas[depth] >= MAX_RANK) {
      fail(`it has an array longer than ${MAX_RANK} (at character ${i}); shapes have at ` +
           `most ${MAX_RANK} dims and data_offsets 2 numbers`);
    } else if (c === 0x3a) {
      if (depth === 1) {
        outerKeys++;
      } else {
        innerKeys++;
      }
    }
  }
  if (outerKeys > MAX_PARAMETERS + 1) {
    fail(`it lists more than ${MAX_PARAMETERS} tensors`);
  }
  if (innerKeys > 4 * outerKeys + 16) {
    fail(`it has ${innerKeys} fields inside its ${outerKeys} entries, far more than a header has`);
  }
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    v != null && typeof v === 'object' && !Array.isArray(v);

const isIndex = (v: unknown): v is number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses and validates the header of a file for which safetensorsHeaderLength was n. */
export function parseSafetensorsHeader(bytes: Uint8Array, n: number, owner: string):
    SafetensorsHeader {
  const fail = (why: string): never => {
    throw new Error(`${owner}: the bytes are a safetensors file with an invalid header: ${why}.`);
  };
  if (8 + n > bytes.length) {
    throw new Error(
        `${owner}: the bytes are a truncated safetensors file: its header needs bytes 8 to ` +
        `${8 + n}, but the file ends at byte ${bytes.length}. Download or copy it again.`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('it is not valid UTF-8');
  }
  checkJsonShape(text, fail);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`it is not JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) {
    return fail('it is not a JSON object');
  }
  const metadata = new Map<string, string>();
  const entries: SafetensorsEntry[] = [];
  for (const name of Object.keys(json)) {
    const info = json[name];
    if (name === '__metadata__') {
      if (!isPlainObject(info)) {
        fail(`'__metadata__' is not an object of strings`);
      }
      for (const key of Object.keys(info as object)) {
        const v = (info as Record<string, unknown>)[key];
        if (typeof v !== 'string') {
          fail(`'__metadata__' has '${key}' = ${JSON.stringify(v)}, not a string`);
        }
        metadata.set(key, v as string);
      }
      continue;
    }
    entries.push(checkEntry(name, info, fail));
  }
  const dataStart = 8 + n;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.begin !== expected) {
      fail(e.begin < expected ?
               `the data of '${e.name}' [${e.begin}, ${e.end}) overlaps that of ` +
                   `'${entries[i - 1].name}', which ends at ${expected}` :
               `no tensor holds data bytes [${expected}, ${e.begin}) (before '${e.name}')`);
    }
    expected = e.end;
  }
  const dataBytes = bytes.length - dataStart;
  if (expected !== dataBytes) {
    if (expected > dataBytes) {
      throw new Error(
          `${owner}: the bytes are a truncated safetensors file: its tensors need ${expected} ` +
          `bytes of data after the header, but only ${dataBytes} follow it (the file ends at ` +
          `byte ${bytes.length}). Download or copy it again.`);
    }
    fail(`its tensors end at data byte ${expected}, but ${dataBytes - expected} more bytes ` +
         `follow them`);
  }
  for (const e of entries) {
    e.begin += dataStart;
    e.end += dataStart;
  }
  return {entries, metadata};
}

function checkEntry(name: string, info: unknown, fail: (why: string) => never):
    SafetensorsEntry {
  if (!isPlainObject(info)) {
    return fail(`the entry of '${name}' is not an object`);
  }
  for (const key of Object.keys(info)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') {
      fail(`the entry of '${name}' has an unknown field '${key}'`);
    }
  }
  const {dtype, shape, data_offsets: offsets} = info;
  if (typeof dtype !== 'string') {
    fail(`the entry of '${name}' has no dtype string`);
  }
  if (typeOfDtype(dtype as string) == null) {
    fail(`'${name}' has dtype ${JSON.stringify(dtype)}, which is not one of ` +
         `${SAFETENSORS_DTYPES.join(', ')}`);
  }
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every(isIndex)) {
    fail(`'${name}' has shape ${JSON.stringify(shape)}; a shape is a list of at most ` +
         `${MAX_RANK} integers >= 0`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) ||
      offsets[0] > offsets[1]) {
    fail(`'${name}' has data_offsets ${JSON.stringify(offsets)}; they must be [begin, end] ` +
         `with 0 <= begin <= end`);
  }
  return {
    name, dtype: dtype as string, shape: shape as number[], begin: (offsets as number[])[0],
    end: (offsets as number[])[1],
  };
}
