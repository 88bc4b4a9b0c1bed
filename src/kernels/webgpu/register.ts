// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msBatchNormGradConfig} from './BatchNormGrad';
import {msBatchNormInferenceConfig} from './BatchNormInference';
import {msBatchNormTrainingConfig} from './BatchNormTraining';
import {msGroupNormConfig} from './GroupNorm';
import {msGroupNormGradConfig} from './GroupNormGrad';
import {msInstanceNormConfig} from './InstanceNorm';
import {msInstanceNormGradConfig} from './InstanceNormGrad';
import {msL2NormalizeConfig} from './L2Normalize';
import {msL2NormalizeGradConfig} from './L2NormalizeGrad';
import {msLayerNormConfig} from './LayerNorm';
import {msLayerNormGradConfig} from './LayerNormGrad';
import {msLRNConfig} from './LRN';
import {msLRNGradConfig} from './LRNGrad';
import {msRMSNormConfig} from './RMSNorm';
import {msRMSNormGradConfig} from './RMSNormGrad';

/**
 * Every WebGPU kernel of the package. The kernels only use types from
 * @tensorflow/tfjs-backend-webgpu, so registering them needs nothing at run
 * time: in Node without WebGPU they sit in the registry unused.
 */
export const webgpuKernelConfigs: KernelConfig[] = [
  msL2NormalizeConfig,
  msL2NormalizeGradConfig,
  msLRNConfig,
  msLRNGradConfig,
  msGroupNormConfig,
  msGroupNormGradConfig,
  msBatchNormTrainingConfig,
  msBatchNormInferenceConfig,
  msBatchNormGradConfig,
  msLayerNormConfig,
  msLayerNormGradConfig,
  msInstanceNormConfig,
  msInstanceNormGradConfig,
  msRMSNormConfig,
  msRMSNormGradConfig,
];
