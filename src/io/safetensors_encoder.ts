// SPDX-License-Identifier: Apache-2.0
/**
 * Writes safetensors as MindSpore's save_checkpoint(format="safetensors")
 * does through safetensors' save_file: tensors ordered by dtype alignment
 * (largest first, huggingface/safetensors' Dtype order) and then by name,
 * compact JSON with `__metadata__` first, padded with spaces to a multiple
 * of 8 bytes, then the data back to back.
 */
import {compareCodePoints} from './code_point_order';
import {MAX_SAFETENSORS_HEADER} from './limits';

export interface SafetensorToWrite {
  name: string;
  dtype: 'F32'|'I32'|'BOOL';
  shape: readonly number[];
  data: Uint8Array;
}

/** Rank in safetensors' Dtype enum (declared in increasing alignment). */
const DTYPE_RANK: Readonly<Record<SafetensorToWrite['dtype'], number>> = {BOOL: 0, I32: 9, F32: 11};

const utf8 = new TextEncoder();

export function encodeSafetensors(
    tensors: readonly SafetensorToWrite[], metadata: ReadonlyArray<[string, string]>,
    owner: string): Uint8Array {
  const ordered = tensors.slice().sort(
      (a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareCodePoints(a.name, b.name));
  const fields: string[] = [];
  if (metadata.length > 0) {
    fields.push(`"__metadata__":{${
        metadata.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  }
  let offset = 0;
  for (const t of ordered) {
    fields.push(`${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],` +
                `"data_offsets":[${offset},${offset + t.data.length}]}`);
    offset += t.data.length;
  }
  const json = utf8.encode(`{${fields.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_SAFETENSORS_HEADER) {
    throw new Error(
        `${owner}: the safetensors header would be ${headerLength} bytes, more than the ` +
        `${MAX_SAFETENSORS_HEADER} safetensors readers accept: use fewer or shorter names.`);
  }
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);  // a u64; the high word stays 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of ordered) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}
