// SPDX-License-Identifier: Apache-2.0
/**
 * The memory floor on the CPU: one plain typed-array pass that reads every
 * element of `reads` inputs and writes every element of a fresh output, the
 * least any kernel producing a new tensor of that size must do.
 */
export function floorPass(size: number, reads: number): () => void {
  const a = new Float32Array(size).map((_, i) => (i % 7) - 3);
  const b = reads > 1 ? new Float32Array(size).map((_, i) => (i % 5) - 2) : null;
  let sink: Float32Array|null = null;
  return () => {
    const out = new Float32Array(size);
    if (b == null) {
      for (let i = 0; i < size; i++) {
        out[i] = a[i] * 1.5;
      }
    } else {
      for (let i = 0; i < size; i++) {
        out[i] = a[i] * 1.5 + b[i];
      }
    }
    sink = out;
    if (sink.length !== size) {
      throw new Error('unreachable');
    }
  };
}
