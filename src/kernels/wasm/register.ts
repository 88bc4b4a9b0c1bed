// SPDX-License-Identifier: Apache-2.0
import {KernelConfig} from '@tensorflow/tfjs-core';

import {msBatchNormGradWasmConfig} from './BatchNormGrad';
import {msBatchNormInferenceWasmConfig} from './BatchNormInference';
import {msBatchNormTrainingWasmConfig} from './BatchNormTraining';
import {msGroupNormWasmConfig} from './GroupNorm';
import {msGroupNormGradWasmConfig} from './GroupNormGrad';
import {msInstanceNormWasmConfig} from './InstanceNorm';
import {msInstanceNormGradWasmConfig} from './InstanceNormGrad';
import {msL2NormalizeWasmConfig} from './L2Normalize';
import {msL2NormalizeGradWasmConfig} from './L2NormalizeGrad';
import {msLayerNormWasmConfig} from './LayerNorm';
import {msLayerNormGradWasmConfig} from './LayerNormGrad';
import {msLRNWasmConfig} from './LRN';
import {msLRNGradWasmConfig} from './LRNGrad';

/** Every native kernel for tfjs's wasm backend; adding an op is one line here. */
export const wasmKernelConfigs: KernelConfig[] = [
  msL2NormalizeWasmConfig,
  msL2NormalizeGradWasmConfig,
  msLRNWasmConfig,
  msLRNGradWasmConfig,
  msGroupNormWasmConfig,
  msGroupNormGradWasmConfig,
  msBatchNormTrainingWasmConfig,
  msBatchNormInferenceWasmConfig,
  msBatchNormGradWasmConfig,
  msLayerNormWasmConfig,
  msLayerNormGradWasmConfig,
  msInstanceNormWasmConfig,
  msInstanceNormGradWasmConfig,
];
