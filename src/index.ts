/**
 * tfjs-mindspore-norm: MindSpore's normalization semantics for TensorFlow.js.
 * Importing this module registers every kernel (cpu, webgl) and gradient.
 */
import {registerAll} from './register_all';

registerAll();

export * from './kernel_names';
export {l2Normalize} from './ops/l2_normalize';
export {lrn, NormRegion} from './ops/lrn';
export {groupNorm} from './ops/group_norm';
export {batchNorm, BatchNormOptions, BatchNormResult} from './ops/batch_norm';
export {layerNorm, LayerNormOptions, LayerNormResult} from './ops/layer_norm';
export {instanceNorm} from './ops/instance_norm';
export {rmsNorm, RMSNormResult} from './ops/rms_norm';
export * from './io';
export {torchNormalize} from './ops/torch_normalize';
export {torchLocalResponseNorm} from './ops/torch_local_response_norm';
export * as convert from './convert';
export * from './interop';
export {registerFallbackKernels} from './kernels/fallback/register';
export {SIMD_FLAG, simdReady} from './kernels/simd/simd_module';
export * as layers from './layers';
export * as mint from './mint';
export {setTrain} from './layers/set_train';
export {registerAll};
