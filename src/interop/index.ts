// SPDX-License-Identifier: Apache-2.0
/** Bringing MindSpore models to tfjs: swapping stock layers, loading checkpoint weights. */
export {loadMindSporeWeights} from './load_mindspore_weights';
export type {LoadWeightsOptions, LoadWeightsResult, NameMap} from './load_mindspore_weights';
export {swapToMindSpore} from './swap_to_mindspore';
export type {SwapOptions, SwapReplacement, SwapResult, SwapSkip} from './swap_to_mindspore';
