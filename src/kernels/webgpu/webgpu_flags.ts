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

env().registerFlag(REDUCTION_WORKGROUP_SIZE, () => 0);
