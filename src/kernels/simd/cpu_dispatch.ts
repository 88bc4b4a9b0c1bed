// SPDX-License-Identifier: Apache-2.0
/**
 * The cpu backend's kernels choose their path per call: the SIMD module where
 * it can run (SIMD_FLAG on, module compiled, working set within the module
 * memory's limit), the JavaScript kernel otherwise.
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap} from '@tensorflow/tfjs-core';

import {runOnCpuSimd} from './cpu_call';
import {SimdInputs, SimdKernel} from './simd_call';
import {useSimd} from './simd_module';

export function withCpuSimd(config: KernelConfig, simd: SimdKernel): KernelConfig {
  const js = config.kernelFunc;
  const kernelFunc = (args: {inputs: NamedTensorInfoMap, backend: unknown, attrs?: NamedAttrMap}) => {
    if (useSimd()) {
      const result = runOnCpuSimd(
          args.backend as MathBackendCPU, call => simd(call, args.inputs as SimdInputs, args.attrs ?? {}));
      if (result != null) {
        return result;
      }
    }
    return js(args as Parameters<KernelFunc>[0]);
  };
  return {...config, kernelFunc: kernelFunc as KernelFunc};
}
