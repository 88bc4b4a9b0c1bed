// SPDX-License-Identifier: Apache-2.0
/**
 * Tuning switches of the WebGPU kernels, as tfjs environment flags (so tests
 * and benchmarks can run every scheme on any adapter).
 */
import {env} from '@tensorflow/tfjs-core';

/**
 * Threads per workgroup of the one-workgroup-per-slice reductions: 0 picks
 * by adapter and slice length (see reductionWorkgroupSize); a power of two
 * from 4 to 256 forces that size (e.g. a GPU's sizes on SwiftShader).
 */
export const REDUCTION_WORKGROUP_SIZE = 'MS_WEBGPU_REDUCTION_WORKGROUP_SIZE';

/**
 * Slices of at most this many values get one thread each (no shared memory,
 * no barriers) instead of a workgroup: -1 picks by adapter (see
 * threadPerSlice), 0 never, n > 0 whenever the slice length is <= n.
 */
export const THREAD_PER_SLICE_MAX = 'MS_WEBGPU_THREAD_PER_SLICE_MAX';

env().registerFlag(REDUCTION_WORKGROUP_SIZE, () => 0);
env().registerFlag(THREAD_PER_SLICE_MAX, () => -1);
