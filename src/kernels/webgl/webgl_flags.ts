/**
 * Tuning switches of the WebGL kernels, as tfjs environment flags so that
 * benchmarks can compare the schemes (`tf.env().set(name, value)`). The
 * defaults come from measurements on SwiftShader (see the kernels).
 */
import {env} from '@tensorflow/tfjs-core';

/**
 * Slices of at most this many values are summed inside the output program
 * (one pass, every output re-reads its slice); longer ones get a reduction
 * program first. 0 always reduces first.
 */
export const FUSED_REDUCE_MAX = 'MS_WEBGL_FUSED_REDUCE_MAX';

/**
 * LRN windows (2 * depthRadius + 1 channels, capped at C) of at least this
 * many channels are summed from per-block channel sums instead of channel by
 * channel. 0 uses blocks whenever the window spans 4+ channels; Infinity never.
 */
export const LRN_BLOCK_MIN_WINDOW = 'MS_WEBGL_LRN_BLOCK_MIN_WINDOW';

env().registerFlag(FUSED_REDUCE_MAX, () => 4);
env().registerFlag(LRN_BLOCK_MIN_WINDOW, () => 9);
