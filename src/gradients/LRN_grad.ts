import {engine, GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNGrad, MsLRNGradInputs} from '../kernel_names';

export const msLRNGradConfig: GradConfig = {
  kernelName: MsLRN,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved;
    const inputs: MsLRNGradInputs = {x, dy: dy as Tensor};
    return {x: () => engine().runKernel(MsLRNGrad, inputs as {}, attrs) as Tensor};
  },
};
