import {KernelConfig} from '@tensorflow/tfjs-core';

import {msBatchNormGradConfig} from './BatchNormGrad';
import {msBatchNormInferenceConfig} from './BatchNormInference';
import {msBatchNormTrainingConfig} from './BatchNormTraining';
import {msGroupNormConfig} from './GroupNorm';
import {msGroupNormGradConfig} from './GroupNormGrad';
import {msL2NormalizeConfig} from './L2Normalize';
import {msL2NormalizeGradConfig} from './L2NormalizeGrad';
import {msLRNConfig} from './LRN';
import {msLRNGradConfig} from './LRNGrad';
import {msLayerNormConfig} from './LayerNorm';
import {msLayerNormGradConfig} from './LayerNormGrad';
import {msInstanceNormConfig} from './InstanceNorm';
import {msInstanceNormGradConfig} from './InstanceNormGrad';
import {msRMSNormConfig} from './RMSNorm';
import {msRMSNormGradConfig} from './RMSNormGrad';

/** Every CPU kernel of the package; adding an op is one line here. */
export const cpuKernelConfigs: KernelConfig[] = [
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
