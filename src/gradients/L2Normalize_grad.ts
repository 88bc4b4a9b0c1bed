import {GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';

import {MsL2Normalize, MsL2NormalizeGrad, MsL2NormalizeGradInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';

export const msL2NormalizeGradConfig: GradConfig = {
  kernelName: MsL2Normalize,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor|Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved;
    const inputs: MsL2NormalizeGradInputs = {x, dy: dy as Tensor};
    return {x: () => runMsKernel(MsL2NormalizeGrad, inputs as {}, attrs) as Tensor};
  },
};
