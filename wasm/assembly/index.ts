// SPDX-License-Identifier: Apache-2.0
// The module's exports: one entry per kernel loop. Every pointer is a byte
// offset into the imported memory; the caller allocates outputs and scratch,
// so the module itself allocates nothing and has no data segments.
export {groupNorm, groupNormGrad} from './group_norm';
export {layerNorm, layerNormGrad} from './layer_norm';
export {channelAffine, channelDySums, channelGradient, channelMoments, channelSquaredDeviations, channelSums} from
    './channel_stats';
export {l2Normalize, l2NormalizeGrad, l2NormalizeGradSliced, l2NormalizeSliced} from './l2_normalize';
export {lrn} from './lrn';
export {lrnGrad} from './lrn_grad';
