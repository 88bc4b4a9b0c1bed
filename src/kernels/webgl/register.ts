// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {MsBatchNormGradConfig} from './BatchNormGrad';
import {MsBatchNormInferenceConfig} from './BatchNormInference';
import {MsBatchNormTrainingConfig} from './BatchNormTraining';
import {withContextCheck} from './context_check';
import {MsGroupNormConfig} from './GroupNorm';
import {MsGroupNormGradConfig} from './GroupNormGrad';
import {MsInstanceNormConfig} from './InstanceNorm';
import {MsInstanceNormGradConfig} from './InstanceNormGrad';
import {MsL2NormalizeConfig} from './L2Normalize';
import {MsL2NormalizeGradConfig} from './L2NormalizeGrad';
import {MsLayerNormConfig} from './LayerNorm';
import {MsLayerNormGradConfig} from './LayerNormGrad';
import {MsLRNConfig} from './LRN';
import {MsLRNGradConfig} from './LRNGrad';
import {MsRMSNormConfig} from './RMSNorm';
import {MsRMSNormGradConfig} from './RMSNormGrad';

/**
 * Every WebGL kernel of the package, each checking for a lost context first.
 * The kernels only use types from @tensorflow/tfjs-backend-webgl, so
 * registering them needs nothing at run time: in Node without WebGL they sit
 * in the registry unused. One list per backend, as for the CPU.
 */
export const webglKernelConfigs: KernelConfig[] = [
  MsL2NormalizeConfig,
  MsL2NormalizeGradConfig,
  MsLRNConfig,
  MsLRNGradConfig,
  MsGroupNormConfig,
  MsGroupNormGradConfig,
  MsBatchNormTrainingConfig,
  MsBatchNormInferenceConfig,
  MsBatchNormGradConfig,
  MsLayerNormConfig,
  MsLayerNormGradConfig,
  MsInstanceNormConfig,
  MsInstanceNormGradConfig,
  MsRMSNormConfig,
  MsRMSNormGradConfig,
].map(withContextCheck);
