// SPDX-License-Identifier: Apache-2.0
import {GradConfig, NamedAttrMap, Tensor, zerosLike} from '@tensorflow/tfjs-core';

import {MsBatchNormGrad, MsBatchNormGradAttrs, MsBatchNormGradInputs, MsBatchNormInference, MsBatchNormTraining} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

/**
 * Gradients of both batch-norm kernels. As MindSpore's bprop, only dy of the
 * normalized output flows back: the running statistics get zero gradients,
 * and in training the gradients arriving at the updated running statistics
 * (outputs 1 and 2) are ignored.
 *
 * The backward kernel yields [dx, dgamma, dbeta] in one call. It runs in
 * gradFunc, not in a thunk: gradFunc runs inside the engine's backward scope,
 * so outputs that no thunk returns (inputs off the gradient path) are released
 * with it instead of leaking or being computed three times.
 */
function batchNormGrad(dy: Tensor, saved: Tensor[], attrs: NamedAttrMap, training: boolean) {
  const [x, gamma, runningMean, runningVar] = saved;
  const inputs: MsBatchNormGradInputs = {x, gamma, runningMean, runningVar, dy};
  const gradAttrs: MsBatchNormGradAttrs = {
    training,
    epsilon: attrs.epsilon as number,
    dataFormat: attrs.dataFormat as MsBatchNormGradAttrs['dataFormat'],
  };
  const [dx, dgamma, dbeta] = runMsKernel(
      MsBatchNormGrad, inputs as {}, gradAttrs as unknown as NamedAttrMap) as Tensor[];
  return {
    x: () => dx,
    gamma: () => dgamma,
    beta: () => dbeta,
    runningMean: () => zerosLike(runningMean),
    runningVar: () => zerosLike(runningVar),
  };
}

export const msBatchNormTrainingGradConfig: GradConfig = {
  kernelName: MsBatchNormTraining,
  inputsToSave: ['x', 'gamma', 'runningMean', 'runningVar'],
  gradFunc: (dys: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    // Three outputs: dys is [dy, dNewMean, dNewVar] (the engine fills unused
    // entries with zeros; a null is tolerated anyway).
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const x = saved[0];
    return batchNormGrad(dy ?? zerosLike(x), saved, attrs, true);
  },
};

export const msBatchNormInferenceGradConfig: GradConfig = {
  kernelName: MsBatchNormInference,
  inputsToSave: ['x', 'gamma', 'runningMean', 'runningVar'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) =>
      batchNormGrad(dy as Tensor, saved, attrs, false),
};
