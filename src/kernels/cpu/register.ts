// SPDX-License-Identifier: Apache-2.0
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
import {simdRMSNorm} from '../simd/RMSNorm';
import {simdRMSNormGrad} from '../simd/RMSNormGrad';

/**
 * Every CPU kernel of the package; adding an op is one line here. Each runs
 * the WebAssembly SIMD kernel (src/kernels/simd) where it can and the
 * JavaScript kernel of this folder otherwise, chosen per call. The lines
 * share one shape on purpose: a list, as tfjs's register_all_kernels.ts.
 */
export const cpuKernelConfigs: KernelConfig[] = [
  withCpuSimd(MsL2NormalizeConfig, simdL2Normalize, SAMPLE_SPLITS.L2Normalize),
  withCpuSimd(MsL2NormalizeGradConfig, simdL2NormalizeGrad, SAMPLE_SPLITS.L2NormalizeGrad),
  withCpuSimd(MsLRNConfig, simdLRN, SAMPLE_SPLITS.LRN),
  withCpuSimd(MsLRNGradConfig, simdLRNGrad, SAMPLE_SPLITS.LRNGrad),
  withCpuSimd(MsGroupNormConfig, simdGroupNorm, SAMPLE_SPLITS.GroupNorm),
  withCpuSimd(MsGroupNormGradConfig, simdGroupNormGrad, SAMPLE_SPLITS.GroupNormGrad),
  withCpuStreamed(MsBatchNormTrainingConfig, streamedBatchNormTraining),
  withCpuSimd(MsBatchNormInferenceConfig, simdBatchNormInference, SAMPLE_SPLITS.BatchNormInference),
  withCpuStreamed(MsBatchNormGradConfig, streamedBatchNormGrad),
  withCpuSimd(MsLayerNormConfig, simdLayerNorm, SAMPLE_SPLITS.LayerNorm),
  withCpuSimd(MsLayerNormGradConfig, simdLayerNormGrad, SAMPLE_SPLITS.LayerNormGrad),
  withCpuSimd(MsInstanceNormConfig, simdInstanceNorm, SAMPLE_SPLITS.InstanceNorm),
  withCpuSimd(MsInstanceNormGradConfig, simdInstanceNormGrad, SAMPLE_SPLITS.InstanceNormGrad),
  withCpuSimd(MsRMSNormConfig, simdRMSNorm, SAMPLE_SPLITS.RMSNorm),
  withCpuSimd(MsRMSNormGradConfig, simdRMSNormGrad, SAMPLE_SPLITS.RMSNormGrad),
];
