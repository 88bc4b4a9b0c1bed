import {KernelConfig} from '@tensorflow/tfjs-core';

/**
 * Every WebGL kernel of the package. The kernels only use types from
 * @tensorflow/tfjs-backend-webgl, so registering them needs nothing at run
 * time: in Node without WebGL they sit in the registry unused.
 */
export const webglKernelConfigs: KernelConfig[] = [];
