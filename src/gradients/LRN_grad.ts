import {GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNGrad, MsLRNGradInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

export const msLRNGradConfig: GradConfig = {
  kernelName: MsLRN,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved;
    const inputs: MsLRNGradInputs = {x, dy: dy as Tensor};
    return {x: () => runMsKernel(MsLRNGrad, inputs as {}, attrs) as Tensor};
  },
};
