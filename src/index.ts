// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm: MindSpore's normalization semantics for TensorFlow.js.
 * Importing this module registers every kernel (cpu, webgl, and the fallback
 * kernels for wasm) and gradient; `tfjs-mindspore-norm/base` registers
 * nothing, `tfjs-mindspore-norm/<backend>` one backend.
 */
import {registerAll} from './register_all';

registerAll();

export * from './base';
export {registerAll};
