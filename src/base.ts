// SPDX-License-Identifier: Apache-2.0
/**
 * tfjs-mindspore-norm/base: everything the package exports, registering
 * nothing. For kernel-level users (`tf.engine().runKernel`, their own
 * backends) and for bundles that register only the backends they ship: pick
 * the lists and register them with `registerConfigs`, or import a backend
 * entry (`tfjs-mindspore-norm/cpu`, `/webgl`), which does that for one backend.
 */
export * from './kernel_names';
export {l2Normalize} from './ops/l2_normalize';
export {lrn} from './ops/lrn';
export type {NormRegion} from './ops/lrn';
export {groupNorm} from './ops/group_norm';
export {batchNorm} from './ops/batch_norm';
export type {BatchNormOptions, BatchNormResult} from './ops/batch_norm';
export {layerNorm} from './ops/layer_norm';
export type {LayerNormOptions, LayerNormResult} from './ops/layer_norm';
export {instanceNorm} from './ops/instance_norm';
export {rmsNorm} from './ops/rms_norm';
export type {RMSNormResult} from './ops/rms_norm';
export * from './io';
export {torchNormalize} from './ops/torch_normalize';
export {torchLocalResponseNorm} from './ops/torch_local_response_norm';
export * as convert from './convert';
export * from './interop';
export * as layers from './layers';
export * as mint from './mint';
export {setTrain} from './layers/set_train';
export type {InitializerIdentifier, InitializerName} from './layers/initializers';

// The kernel-level API: per backend, the KernelConfig[] of its native kernels.
export {cpuKernelConfigs} from './kernels/cpu/register';
export {webglKernelConfigs} from './kernels/webgl/register';
export {wasmKernelConfigs} from './kernels/wasm/register';
export {webgpuKernelConfigs} from './kernels/webgpu/register';
export {SIMD_FLAG, simdReady} from './kernels/simd/simd_module';
export {fallbackKernelConfigs, registerFallbackKernels} from './kernels/fallback/register';
export {gradConfigs} from './gradients/register';
export {registerConfigs} from './register';
