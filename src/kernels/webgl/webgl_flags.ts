// SPDX-License-Identifier: Apache-2.0
/**
 * Tuning switches of the WebGL kernels, as tfjs environment flags so that
 * benchmarks can compare the schemes (`tf.env().set(name, value)`). The
 * defaults come from measurements on SwiftShader (see the kernels).
 */
import {env} from '@tensorflow/tfjs-core';

/**
 * Slices of at most this many values are summed inside the output program
 * (one pass, every output re-reads its slice); longer ones get a reduction
 * program first. 0 always reduces first. Measured on SwiftShader, 256K
 * values: at 16 values per slice two passes took ~8 ms against ~30 ms fused
 * (L2Normalize), at 256 ~7 ms against ~240 ms; at 2-4 they were even.
 */
export const FUSED_REDUCE_MAX = 'MS_WEBGL_FUSED_REDUCE_MAX';

/**
 * LRN windows (2 * depthRadius + 1 channels, capped at C) of at least this
 * many channels are summed from per-block channel sums instead of channel by
 * channel. 0 uses blocks whenever the window spans 4+ channels; Infinity never.
 * Measured on SwiftShader, [4, 64, 16, 16]: r = 2-3 even; r = 5 ~8 ms direct
 * against ~6.5 ms with blocks; r = 20 ~23 ms against 5-8 ms; [1, 256, 16, 16]
 * with r = 64: ~70 ms against ~11 ms.
 */
export const LRN_BLOCK_MIN_WINDOW = 'MS_WEBGL_LRN_BLOCK_MIN_WINDOW';

env().registerFlag(FUSED_REDUCE_MAX, () => 4);
env().registerFlag(LRN_BLOCK_MIN_WINDOW, () => 9);
