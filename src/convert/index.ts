// SPDX-License-Identifier: Apache-2.0
/**
 * Argument converters between MindSpore, PyTorch and Keras conventions, each
 * saying whether the converted setting computes exactly the same thing.
 */
import * as l2Normalize from './l2_normalize';
import * as lrn from './lrn';
import * as mint from './mint';
import * as momentum from './momentum';

export {l2Normalize, lrn, mint, momentum};
export type {Exactness, LrnFromPyTorch, LrnToPyTorch, MindSporeLrnArgs, PyTorchLrnArgs} from './lrn';
export type {L2NormalizeFromPyTorch, L2NormalizeToPyTorch, MindSporeL2NormalizeArgs, PyTorchNormalizeArgs} from './l2_normalize';
