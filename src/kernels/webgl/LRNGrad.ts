// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsLRNGrad, MsLRNGradAttrs, MsLRNGradInputs} from '../../kernel_names';
import {channelView} from '../gpu_util/channel_view';
import {ChannelBlockSumProgram} from './channel_block_sum_gpu';
import {channelWindow, SQUARE_X} from './channel_window';
import {LRNProgram} from './lrn_gpu';
import {LRNGradProgram, LRNGradTermProgram} from './lrn_grad_gpu';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore LRNGrad, s = bias + alpha * sqr_sum:
//   dx[c] = dy[c] * s[c]^-beta
//           - 2 * alpha * beta * x[c] * sum_{|c'-c|<=r} dy[c'] * x[c'] * s[c']^(-beta-1)
// On an [N, C, H*W] view. Passes: s; t = dy * x * s^(-beta-1); dx (3), plus
// a block-sum pass before each window sum for wide windows (5).
export function msLRNGrad(args: WebGLKernelArgs<MsLRNGradInputs, MsLRNGradAttrs>): TensorInfo {
  const {inputs: {x, dy}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  // The forward's view and channel window (intended: the backward recomputes its s).
  const shape = channelView(x!.shape, 'NCHW');
  const channels = shape[1];
  if (util.sizeFromShape(shape) === 0) {
    return filled(backend, x!.shape);
  }
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const dyView = unpackedView(backend, dy!, shape, temps);
  const w = channelWindow(channels, depthRadius);
  // With the block scheme, each window sum reads block sums made just before.
  const withBlocks = (inputs: TensorInfo[], program: () => ChannelBlockSumProgram) => {
    if (w.blockSize === 0) {
      return inputs;
    }
    const blocks = backend.runWebGLProgram(program(), [inputs[inputs.length - 1]], 'float32');
    temps.push(blocks);
    return [...inputs, blocks];
  };

  const scale = backend.runWebGLProgram(
      new LRNProgram(shape, w),
      withBlocks(
          [xView],
          () => new ChannelBlockSumProgram(['x'], shape, w, cc => `squareX(n, ${cc}, p)`, SQUARE_X)),
      'float32', [[bias], [alpha]]);
  temps.push(scale);
  const term = backend.runWebGLProgram(
      new LRNGradTermProgram(shape, beta), [xView, dyView, scale], 'float32', [[beta]]);
  temps.push(term);
  const dx = backend.runWebGLProgram(
      new LRNGradProgram(shape, w, beta),
      withBlocks(
          [xView, dyView, scale, term],
          () => new ChannelBlockSumProgram(['term'], shape, w, cc => `getTerm(n, ${cc}, p)`)),
      'float32', [[alpha], [beta]]);
  disposeAll(backend, temps);
  return view(dx, x!.shape);
}

export const MsLRNGradConfig = webglKernelConfig(MsLRNGrad, msLRNGrad);
