// SPDX-License-Identifier: Apache-2.0
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsGroupNormGrad, MsGroupNormGradAttrs, MsGroupNormGradInputs} from '../../kernel_names';

import {GroupNormGradProgram} from './group_norm_grad_gpu';
import {MOMENT_NAMES, momentHelpers, momentInputs, moments} from './moments';
import {sliceSum} from './slice_sum';
import {disposeAll, filled, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// GroupNorm backward, statistics recomputed from x. Per group of K values with
// xhat = (x - mean) * invStd and g = dy * gamma[c]:
//   dx = invStd * (g - mean(g) - xhat * mean(g * xhat)),
//   dgamma[c] = sum(dy * xhat), dbeta[c] = sum(dy)   (over samples and positions).
// Outputs [dx, dgamma, dbeta]. Passes: Moments per group (shift, sum,
// squared deviations: 3); per (n, c): sum(dy) and sum(dy * (x - mean)) (1); from those, small
// passes for the group sums of g and g * (x - mean), dgamma and dbeta (3);
// dx (1). Four passes read the whole input; plus window stages if large.
export function msGroupNormGrad(
    args: WebGLKernelArgs<MsGroupNormGradInputs, MsGroupNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy}, backend, attrs: {numGroups, epsilon}} = args;
  return groupNormGrad(backend, x!, gamma!, dy!, numGroups, epsilon);
}

/**
 * GroupNorm backward, [dx, dgamma, dbeta]; InstanceNorm's is the case
 * numGroups = C. (Its signature is the webgpu one's, intended: each backend
 * builds both kernels on it.)
 */
export function groupNormGrad(
    backend: MathBackendWebGL, x: TensorInfo, gamma: TensorInfo, dy: TensorInfo,
    numGroups: number, epsilon: number): TensorInfo[] {
  const [batch, channels] = x.shape;
  const spatial = util.sizeFromShape(x.shape.slice(2));
  if (util.sizeFromShape(x.shape) === 0) {
    return [
      filled(backend, x.shape),
      filled(backend, [channels]),
      filled(backend, [channels]),
    ];
  }
  const perGroup = channels / numGroups;
  const statShape = [batch, numGroups, perGroup * spatial];
  const shape = [batch, channels, spatial];
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x, shape, temps);
  const dyView = unpackedView(backend, dy, shape, temps);
  const m = moments(backend, view(xView, statShape), statShape, [2]);
  const {count} = m;

  // [2, N, C]: sum(dy) and sum(dy * (x - mean)) over the positions of (n, c).
  const parts = sliceSum(backend, [xView, dyView, m.shift, m.sum], {
    variableNames: ['x', 'dy', 'xShift', 'xSum'],
    shape,
    axes: [2],
    slicePrelude: `float shift = getXShift(i0, i1 / ${perGroup});
        float mean = getXSum(i0, i1 / ${perGroup}) / float(${count});`,
    elementPrelude: 'float dyv = getDy(i0, i1, i2);',
    terms: ['dyv', 'dyv * ((getX(i0, i1, i2) - shift) - mean)'],
  });
  // [2, N, G]: the same sums weighted by gamma, per group.
  const groupSums = sliceSum(backend, [parts, gamma], {
    variableNames: ['parts', 'gamma'],
    shape: [2, batch, numGroups, perGroup],
    axes: [3],
    elementPrelude: `int c = i2 * ${perGroup} + i3;`,
    terms: ['getParts(i0, i1, c) * getGamma(c)'],
  });
  const dx = backend.runWebGLProgram(
      new GroupNormGradProgram(shape, perGroup, count),
      [xView, dyView, ...momentInputs(m), gamma, groupSums], 'float32', [[epsilon]]);
  // Over samples: dgamma[c] = sum_n invStd(n, g) * sum(dy * (x - mean)), dbeta[c] = sum_n sum(dy).
  const dgamma = sliceSum(backend, [parts, ...momentInputs(m)], {
    variableNames: ['parts', ...MOMENT_NAMES],
    shape: [batch, channels],
    axes: [0],
    uniforms: {epsilon},
    helpers: momentHelpers(2, count),
    terms: [`getParts(1, i0, i1) * invStdOf(i0, i1 / ${perGroup})`],
  });
  const dbeta = sliceSum(backend, [parts], {
    variableNames: ['parts'],
    shape: [batch, channels],
    axes: [0],
    terms: ['getParts(0, i0, i1)'],
  });
  disposeAll(backend, [...momentInputs(m), parts, groupSums, ...temps]);
  return [view(dx, x.shape), dgamma, dbeta];
}

export const MsGroupNormGradConfig = webglKernelConfig(MsGroupNormGrad, msGroupNormGrad);
