// SPDX-License-Identifier: Apache-2.0
import {GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';

import {runMsKernel} from '../util/run_kernel';

/**
 * The gradient of a kernel with a dedicated backward kernel that takes the
 * saved inputs plus dy (under their names) and the forward attributes, and
 * returns one gradient per name of `wrt`, in order.
 *
 * The backward kernel runs once, eagerly, and the thunks hand out its
 * outputs: gradFunc runs inside the engine's 'backward' tidy, which disposes
 * any output that no thunk returns (e.g. dgamma when gamma is a constant).
 */
export function backwardKernelGrad(
    kernelName: string, backwardKernel: string, inputsToSave: string[], wrt: string[]):
    GradConfig {
  return {
    kernelName,
    inputsToSave,
    gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const inputs: Record<string, Tensor> = {dy: dy as Tensor};
      inputsToSave.forEach((name, i) => inputs[name] = saved[i]);
      const out = runMsKernel(backwardKernel, inputs, attrs);
      const grads = Array.isArray(out) ? out as Tensor[] : [out as Tensor];
      return Object.fromEntries(wrt.map((name, i) => [name, () => grads[i]]));
    },
  };
}
