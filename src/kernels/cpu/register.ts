import {KernelConfig} from '@tensorflow/tfjs-core';

import {msL2NormalizeConfig} from './L2Normalize';
import {msL2NormalizeGradConfig} from './L2NormalizeGrad';
import {msLRNConfig} from './LRN';
import {msLRNGradConfig} from './LRNGrad';

/** Every CPU kernel of the package; adding an op is one line here. */
export const cpuKernelConfigs: KernelConfig[] = [
  msL2NormalizeConfig,
  msL2NormalizeGradConfig,
  msLRNConfig,
  msLRNGradConfig,
];
