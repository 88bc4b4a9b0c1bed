// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsLRN, MsLRNAttrs, MsLRNInputs} from '../../kernel_names';
import {channelView} from '../gpu_util/channel_view';
import {ChannelBlockSumProgram} from './channel_block_sum_gpu';
import {channelWindow, SQUARE_X} from './channel_window';
import {LRNProgram} from './lrn_gpu';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// MindSpore LRN on NCHW: out = x / (bias + alpha * sqr_sum)^beta, sqr_sum over
// channels [c - r, c + r]; alpha is not divided by the window size.
// Runs on an [N, C, H*W] view. Passes: 1 (each output sums its window), or 2
// for wide windows (block sums of x^2, then output; see channel_window.ts).
export function msLRN(args: WebGLKernelArgs<MsLRNInputs, MsLRNAttrs>): TensorInfo {
  const {inputs: {x}, backend, attrs: {depthRadius, bias, alpha, beta}} = args;
  const shape = channelView(x!.shape, 'NCHW');
  const channels = shape[1];
  if (util.sizeFromShape(shape) === 0) {
    return filled(backend, x!.shape);
  }
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const w = channelWindow(channels, depthRadius);
  const uniforms = [[bias], [alpha], [beta]];
  let out: TensorInfo;
  if (w.blockSize === 0) {
    out = backend.runWebGLProgram(new LRNProgram(shape, w, beta), [xView], 'float32', uniforms);
  } else {
    const blocks = backend.runWebGLProgram(
        new ChannelBlockSumProgram(['x'], shape, w, cc => `squareX(n, ${cc}, p)`, SQUARE_X),
        [xView], 'float32');
    out = backend.runWebGLProgram(
        new LRNProgram(shape, w, beta), [xView, blocks], 'float32', uniforms);
    temps.push(blocks);
  }
  disposeAll(backend, temps);
  return view(out, x!.shape);
}

export const MsLRNConfig = webglKernelConfig(MsLRN, msLRN);
