// SPDX-License-Identifier: Apache-2.0
/** `mindspore.mint.nn.functional` norms, camelCased: PyTorch's conventions. */
export {batchNorm} from './batch_norm';
export {groupNorm} from './group_norm';
export {layerNorm} from './layer_norm';
export {normalize} from './normalize';
