// SPDX-License-Identifier: Apache-2.0
/**
 * Bounds the reader checks while decoding (and the writer before writing), so
 * a hostile or corrupt file fails with an Error instead of exhausting memory.
 */

/** MindSpore's tensors have at most 8 dimensions. */
export const MAX_RANK = 8;

/**
 * Values (slices) of one parameter. MindSpore slices at 512 MiB, so this
 * allows a 32 TiB parameter; a long run of tiny slices is a malformed file.
 */
export const MAX_SLICES = 65536;

/**
 * Parameters in one file: well above the ~100k tensors of the largest
 * published models, low enough that the bookkeeping (a few hundred bytes a
 * parameter, plus a tf.Tensor each) stays far below a default Node heap.
 */
export const MAX_PARAMETERS = 262144;

/**
 * Largest file read from a path unless options.maxBytes raises it: tfjs
 * holds every parameter in memory as float32/int32, often twice the file's
 * size, so 2 GiB already needs several GiB of memory.
 */
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024;

/** safetensors' own header limit (huggingface/safetensors MAX_HEADER_SIZE; MindSpore's too). */
export const MAX_SAFETENSORS_HEADER = 100 * 1000 * 1000;
