// SPDX-License-Identifier: Apache-2.0
/**
 * One documented call per kernel, from the `@example` tags of
 * src/kernel_names.ts (rendered in KERNELS.md): input shapes, attributes and
 * the output shapes the contract promises. The kernel-level tests run these,
 * so a new kernel brings its own example and no test list needs a line.
 */
import {KernelExample, readKernelContracts} from '../../scripts/kernel_contracts';

export type {KernelExample};

export const KERNEL_EXAMPLES: Record<string, KernelExample> =
    Object.fromEntries(readKernelContracts().map(c => [c.name, c.example]));
