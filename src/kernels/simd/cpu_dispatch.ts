// SPDX-License-Identifier: Apache-2.0
/**
 * The cpu backend's kernels choose their path per call: the SIMD module where
 * it can run (SIMD_FLAG on, module compiled, working set within the module
 * memory), the JavaScript kernel otherwise. Kernels with independent samples
 * stream through the module in chunks of samples (cpu_call.ts).
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo, util} from
    '@tensorflow/tfjs-core';

import {runChunked, runOnCpuSimd, SampleSplit} from './cpu_call';
import {SimdInputs, SimdKernel} from './simd_call';
import {useSimd} from './simd_module';

/** A kernel's sample split for given attrs, or null where its samples are not independent. */
type KernelArgs = {inputs: NamedTensorInfoMap, backend: unknown, attrs?: NamedAttrMap};

export type SplitFor = (attrs: NamedAttrMap) => SampleSplit|null;

export function withCpuSimd(config: KernelConfig, simd: SimdKernel, splitFor?: SplitFor):
    KernelConfig {
  const js = config.kernelFunc;
  const kernelFunc = (args: KernelArgs) => {
    if (useSimd()) {
      const backend = args.backend as MathBackendCPU;
      const inputs = args.inputs as SimdInputs;
      const attrs = args.attrs ?? {};
      const split = splitFor?.(attrs) ?? null;
      const first = split == null ? null : inputs[split.inputs[0]];
      let result: TensorInfo|TensorInfo[]|null;
      if (first != null && util.sizeFromShape(first.shape) > 0) {
        const outs = runChunked(backend, inputs, split!, (call, chunk) => simd(call, chunk, attrs));
        result = outs == null ? null : split!.outputs.length === 1 ? outs[0] : outs;
      } else {
        result = runOnCpuSimd(backend, call => simd(call, inputs, attrs));
      }
      if (result != null) {
        return result;
      }
    }
    return js(args as Parameters<KernelFunc>[0]);
  };
  return {...config, kernelFunc: kernelFunc as KernelFunc};
}

/** A cpu kernel that streams its own passes through the module (cpu_batch_norm.ts). */
export type StreamedKernel =
    (backend: MathBackendCPU, inputs: SimdInputs, attrs: NamedAttrMap) => TensorInfo[]|null;

export function withCpuStreamed(config: KernelConfig, streamed: StreamedKernel): KernelConfig {
  const js = config.kernelFunc;
  const kernelFunc = (args: KernelArgs) => {
    const result = useSimd() ?
        streamed(args.backend as MathBackendCPU, args.inputs as SimdInputs, args.attrs ?? {}) :
        null;
    return result ?? js(args as Parameters<KernelFunc>[0]);
  };
  return {...config, kernelFunc: kernelFunc as KernelFunc};
}
