import {GradConfig} from '@tensorflow/tfjs-core';

import {msL2NormalizeGradConfig} from './L2Normalize_grad';
import {msLRNGradConfig} from './LRN_grad';
import {msLayerNormGradConfig} from './LayerNorm_grad';
import {msInstanceNormGradConfig} from './InstanceNorm_grad';

/** Every gradient of the package; adding an op is one line here. */
export const gradConfigs: GradConfig[] = [
  msL2NormalizeGradConfig,
  msLRNGradConfig,
  msLayerNormGradConfig,
  msInstanceNormGradConfig,
];
