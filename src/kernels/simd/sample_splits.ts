// SPDX-License-Identifier: Apache-2.0
/**
 * Which kernels have independent samples along axis 0, so that the cpu path
 * can stream them through the module in chunks (cpu_call.ts's runChunked).
 * Batch-norm training and its gradient need statistics over the whole batch
 * and run on whole tensors.
 */
import {NamedAttrMap} from '@tensorflow/tfjs-core';

import {MsL2NormalizeAttrs, MsLayerNormAttrs} from '../../kernel_names';
import {SampleSplit} from './cpu_call';
import {SplitFor} from './cpu_dispatch';

const always = (split: SampleSplit): SplitFor => () => split;

const l2 = (inputs: string[]): SplitFor => (attrs: NamedAttrMap) => {
  const {axis} = attrs as unknown as MsL2NormalizeAttrs;
  return axis.includes(0) ? null : {inputs, outputs: ['concat']};
};

// LayerNorm's samples are independent when neither the statistics nor gamma/beta span axis 0.
function layerNorm(inputs: string[], outputs: SampleSplit['outputs']): SplitFor {
  return (attrs: NamedAttrMap) => {
    const {beginNormAxis, beginParamsAxis} = attrs as unknown as MsLayerNormAttrs;
    return beginNormAxis >= 1 && beginParamsAxis >= 1 ? {inputs, outputs} : null;
  };
}

export const SAMPLE_SPLITS = {
  L2Normalize: l2(['x']),
  L2NormalizeGrad: l2(['x', 'dy']),
  LRN: always({inputs: ['x'], outputs: ['concat']}),
  LRNGrad: always({inputs: ['x', 'dy'], outputs: ['concat']}),
  GroupNorm: always({inputs: ['x'], outputs: ['concat']}),
  GroupNormGrad: always({inputs: ['x', 'dy'], outputs: ['concat', 'sum', 'sum']}),
  InstanceNorm: always({inputs: ['x'], outputs: ['concat']}),
  InstanceNormGrad: always({inputs: ['x', 'dy'], outputs: ['concat', 'sum', 'sum']}),
  BatchNormInference: always({inputs: ['x'], outputs: ['concat']}),
  LayerNorm: layerNorm(['x'], ['concat', 'concat', 'concat']),
  LayerNormGrad: layerNorm(['x', 'dy', 'dmean', 'dvariance'], ['concat', 'sum', 'sum']),
};
