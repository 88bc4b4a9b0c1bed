// SPDX-License-Identifier: Apache-2.0

/**
 * WGSL `fn workgroupSum(v: vec4<f32>) -> vec4<f32>`: the sum of every
 * thread's v, returned to all threads, by a tree reduction in shared memory
 * (`size` a power of two). Call it from uniform control flow: it has barriers.
 */
export function workgroupSumFn(size: number): string {
  return `
    var<workgroup> partialSums : array<vec4<f32>, ${size}>;

    fn workgroupSum(v : vec4<f32>) -> vec4<f32> {
      let tid = localIndex;
      partialSums[tid] = v;
      workgroupBarrier();
      for (var stride = ${size / 2}u; stride > 0u; stride = stride >> 1u) {
        if (tid < stride) {
          partialSums[tid] = partialSums[tid] + partialSums[tid + stride];
        }
        workgroupBarrier();
      }
      let total = partialSums[0];
      // Everyone has read the total before the next call overwrites it.
      workgroupBarrier();
      return total;
    }
  `;
}
