// SPDX-License-Identifier: Apache-2.0
import {util} from '@tensorflow/tfjs-core';
import {DataFormat} from '../../kernel_names';

/**
 * The [outer, C, inner] view of a tensor with a channel axis ('NCHW': axis 1,
 * any rank >= 2; 'NHWC': the last axis): per-channel statistics reduce axes
 * 0 and 2 of it, with no transpose.
 */
export function channelView(shape: number[], dataFormat: DataFormat): number[] {
  const axis = dataFormat === 'NHWC' ? shape.length - 1 : 1;
  const size = (dims: number[]) => util.sizeFromShape(dims);
  return [size(shape.slice(0, axis)), shape[axis], size(shape.slice(axis + 1))];
}
