// SPDX-License-Identifier: Apache-2.0
/**
 * One documented call per kernel (KERNELS.md): input shapes, attributes and
 * the output shapes the contract promises. The kernel-level tests run these.
 */
export interface KernelExample {
  inputs: Record<string, number[]>;
  attrs: Record<string, unknown>;
  outputShapes: number[][];
}

const BN_INPUTS = {x: [2, 3, 4], gamma: [3], beta: [3], runningMean: [3], runningVar: [3]};

export const KERNEL_EXAMPLES: Record<string, KernelExample> = {
  MsL2Normalize: {inputs: {x: [2, 3]}, attrs: {axis: [1], epsilon: 1e-4}, outputShapes: [[2, 3]]},
  MsL2NormalizeGrad: {inputs: {x: [2, 3], dy: [2, 3]}, attrs: {axis: [1], epsilon: 1e-4},
                      outputShapes: [[2, 3]]},
  MsLRN: {inputs: {x: [1, 4, 2, 2]}, attrs: {depthRadius: 1, bias: 1, alpha: 1, beta: 0.5},
          outputShapes: [[1, 4, 2, 2]]},
  MsLRNGrad: {inputs: {x: [1, 4, 2, 2], dy: [1, 4, 2, 2]},
              attrs: {depthRadius: 1, bias: 1, alpha: 1, beta: 0.5}, outputShapes: [[1, 4, 2, 2]]},
  MsGroupNorm: {inputs: {x: [2, 4, 3], gamma: [4], beta: [4]}, attrs: {numGroups: 2, epsilon: 1e-5},
                outputShapes: [[2, 4, 3]]},
  MsGroupNormGrad: {inputs: {x: [2, 4, 3], gamma: [4], dy: [2, 4, 3]},
                    attrs: {numGroups: 2, epsilon: 1e-5}, outputShapes: [[2, 4, 3], [4], [4]]},
  MsBatchNormTraining: {
    inputs: BN_INPUTS,
    attrs: {momentum: 0.1, epsilon: 1e-5, dataFormat: 'NCHW', varianceUpdate: 'unbiased'},
    outputShapes: [[2, 3, 4], [3], [3]],
  },
  MsBatchNormInference: {inputs: BN_INPUTS, attrs: {epsilon: 1e-5, dataFormat: 'NCHW'},
                         outputShapes: [[2, 3, 4]]},
  MsBatchNormGrad: {
    inputs: {x: [2, 3, 4], gamma: [3], runningMean: [3], runningVar: [3], dy: [2, 3, 4]},
    attrs: {training: true, epsilon: 1e-5, dataFormat: 'NCHW'},
    outputShapes: [[2, 3, 4], [3], [3]],
  },
  MsLayerNorm: {inputs: {x: [2, 3, 4], gamma: [3, 4], beta: [3, 4]},
                attrs: {beginNormAxis: 1, beginParamsAxis: 1, epsilon: 1e-7},
                outputShapes: [[2, 3, 4], [2, 1, 1], [2, 1, 1]]},
  MsLayerNormGrad: {inputs: {x: [2, 3, 4], gamma: [4], dy: [2, 3, 4]},
                    attrs: {beginNormAxis: 1, beginParamsAxis: 2, epsilon: 1e-7},
                    outputShapes: [[2, 3, 4], [4], [4]]},
  MsInstanceNorm: {inputs: {x: [2, 3, 4], gamma: [3], beta: [3]}, attrs: {epsilon: 1e-5},
                   outputShapes: [[2, 3, 4]]},
  MsInstanceNormGrad: {inputs: {x: [2, 3, 4], gamma: [3], dy: [2, 3, 4]}, attrs: {epsilon: 1e-5},
                       outputShapes: [[2, 3, 4], [3], [3]]},
  MsRMSNorm: {inputs: {x: [2, 3, 4], gamma: [3, 4]}, attrs: {epsilon: 1e-6},
              outputShapes: [[2, 3, 4], [2, 1, 1]]},
  MsRMSNormGrad: {inputs: {dy: [2, 3, 4], x: [2, 3, 4], rstd: [2, 3, 1], gamma: [4]}, attrs: {},
                  outputShapes: [[2, 3, 4], [4]]},
};
