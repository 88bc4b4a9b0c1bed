// SPDX-License-Identifier: Apache-2.0
import {GradConfig} from '@tensorflow/tfjs-core';

import {msBatchNormInferenceGradConfig, msBatchNormTrainingGradConfig} from './BatchNorm_grad';
import {msGroupNormGradConfig} from './GroupNorm_grad';
import {msL2NormalizeGradConfig} from './L2Normalize_grad';
import {msLRNGradConfig} from './LRN_grad';
import {msLayerNormGradConfig} from './LayerNorm_grad';
import {msInstanceNormGradConfig} from './InstanceNorm_grad';
import {msRMSNormGradConfig} from './RMSNorm_grad';

/** Every gradient of the package; adding an op is one line here. */
export const gradConfigs: GradConfig[] = [
  msL2NormalizeGradConfig,
  msLRNGradConfig,
  msGroupNormGradConfig,
  msBatchNormTrainingGradConfig,
  msBatchNormInferenceGradConfig,
  msLayerNormGradConfig,
  msInstanceNormGradConfig,
  msRMSNormGradConfig,
];
