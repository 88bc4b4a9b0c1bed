import {KernelConfig} from '@tensorflow/tfjs-core';

import {MsBatchNormGradConfig} from './BatchNormGrad';
import {MsBatchNormInferenceConfig} from './BatchNormInference';
import {MsBatchNormTrainingConfig} from './BatchNormTraining';
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

/** Every CPU kernel of the package; adding an op is one line here. */
export const cpuKernelConfigs: KernelConfig[] = [
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
];
