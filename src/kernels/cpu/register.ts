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
import {streamedBatchNormGrad, streamedBatchNormTraining} from '../simd/cpu_batch_norm';
import {withCpuSimd, withCpuStreamed} from '../simd/cpu_dispatch';
import {SAMPLE_SPLITS} from '../simd/sample_splits';
import {simdBatchNormInference} from '../simd/BatchNormInference';
import {simdGroupNorm} from '../simd/GroupNorm';
import {simdGroupNormGrad} from '../simd/GroupNormGrad';
import {simdInstanceNorm} from '../simd/InstanceNorm';
import {simdInstanceNormGrad} from '../simd/InstanceNormGrad';
import {simdL2Normalize} from '../simd/L2Normalize';
import {simdL2NormalizeGrad} from '../simd/L2NormalizeGrad';
import {simdLayerNorm} from '../simd/LayerNorm';
import {simdLayerNormGrad} from '../simd/LayerNormGrad';
import {simdLRN} from '../simd/LRN';
import {simdLRNGrad} from '../simd/LRNGrad';

/**
 * Every CPU kernel of the package; adding an op is one line here. Each runs
 * the WebAssembly SIMD kernel (src/kernels/simd) where it can and the
 * JavaScript kernel of this folder otherwise, chosen per call.
 */
export const cpuKernelConfigs: KernelConfig[] = [
  withCpuSimd(msL2NormalizeConfig, simdL2Normalize, SAMPLE_SPLITS.L2Normalize),
  withCpuSimd(msL2NormalizeGradConfig, simdL2NormalizeGrad, SAMPLE_SPLITS.L2NormalizeGrad),
  withCpuSimd(msLRNConfig, simdLRN, SAMPLE_SPLITS.LRN),
  withCpuSimd(msLRNGradConfig, simdLRNGrad, SAMPLE_SPLITS.LRNGrad),
  withCpuSimd(msGroupNormConfig, simdGroupNorm, SAMPLE_SPLITS.GroupNorm),
  withCpuSimd(msGroupNormGradConfig, simdGroupNormGrad, SAMPLE_SPLITS.GroupNormGrad),
  withCpuStreamed(msBatchNormTrainingConfig, streamedBatchNormTraining),
  withCpuSimd(msBatchNormInferenceConfig, simdBatchNormInference, SAMPLE_SPLITS.BatchNormInference),
  withCpuStreamed(msBatchNormGradConfig, streamedBatchNormGrad),
  withCpuSimd(msLayerNormConfig, simdLayerNorm, SAMPLE_SPLITS.LayerNorm),
  withCpuSimd(msLayerNormGradConfig, simdLayerNormGrad, SAMPLE_SPLITS.LayerNormGrad),
  withCpuSimd(msInstanceNormConfig, simdInstanceNorm, SAMPLE_SPLITS.InstanceNorm),
  withCpuSimd(msInstanceNormGradConfig, simdInstanceNormGrad, SAMPLE_SPLITS.InstanceNormGrad),
];
