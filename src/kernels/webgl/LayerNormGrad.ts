// SPDX-License-Identifier: Apache-2.0
import {TensorInfo, util} from '@tensorflow/tfjs-core';

import {MsLayerNormGrad, MsLayerNormGradAttrs, MsLayerNormGradInputs} from '../../kernel_names';

import {LayerNormGradProgram} from './layer_norm_grad_gpu';
import {MOMENT_NAMES, momentHelpers, momentInputs, moments} from './moments';
import {sliceSum} from './slice_sum';
import {disposeAll, unpackedView, view, WebGLKernelArgs, webglKernelConfig} from './webgl_util';

// Backward of y = xhat * gamma + beta, xhat = (x - mean) * rstd, per row of M
// values (statistics recomputed from x), with g = dy * gamma:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) + dmean / M + dvar * 2 (x - mean) / M
//   dgamma = sum(dy * xhat), dbeta = sum(dy), summed over the axes gamma lacks.
// Element e uses parameter e % paramSize, so dgamma/dbeta reduce axis 0 of an
// [size / paramSize, paramSize] view. Passes: Moments (shift, sum, squared
// deviations: 3), row sums of g and g * xhat (1), dx (1), dgamma (1), dbeta (1): 7, plus
// window stages for long reductions.
export function msLayerNormGrad(
    args: WebGLKernelArgs<MsLayerNormGradInputs, MsLayerNormGradAttrs>): TensorInfo[] {
  const {inputs: {x, gamma, dy, dmean, dvariance}, backend, attrs} = args;
  const {beginNormAxis, epsilon} = attrs;
  const outer = util.sizeFromShape(x!.shape.slice(0, beginNormAxis));
  const blockSize = util.sizeFromShape(x!.shape.slice(beginNormAxis));
  const paramSize = util.sizeFromShape(gamma!.shape);
  if (outer * blockSize === 0) {
    return [
      backend.makeTensorInfo(x!.shape, 'float32', new Float32Array(0)),
      backend.makeTensorInfo(gamma!.shape, 'float32', new Float32Array(paramSize)),
      backend.makeTensorInfo(gamma!.shape, 'float32', new Float32Array(paramSize)),
    ];
  }
  const shape = [outer, blockSize];
  const temps: TensorInfo[] = [];
  const xView = unpackedView(backend, x!, shape, temps);
  const dyView = unpackedView(backend, dy!, shape, temps);
  const gammaView = view(gamma!, [paramSize]);
  const m = moments(backend, xView, shape, [1]);
  const helpers = momentHelpers(1, m.count);

  const rowSums = sliceSum(backend, [xView, dyView, ...momentInputs(m), gammaView], {
    variableNames: ['x', 'dy', ...MOMENT_NAMES, 'gamma'],
    shape,
    axes: [1],
    uniforms: {epsilon},
    helpers,
    slicePrelude: 'float invStd = invStdOf(i0);',
    elementPrelude: `float g = getDy(i0, i1) * getGamma(imod(i0 * ${blockSize} + i1, ${paramSize}));`,
    terms: ['g', 'g * centredOf(getX(i0, i1), i0) * invStd'],
  });
  const extra = [
    ...(dmean != null ? [view(dmean, [outer])] : []),
    ...(dvariance != null ? [view(dvariance, [outer])] : []),
  ];
  const dx = backend.runWebGLProgram(
      new LayerNormGradProgram(shape, paramSize, dmean != null, dvariance != null),
      [xView, dyView, ...momentInputs(m), gammaView, rowSums, ...extra], 'float32', [[epsilon]]);

  const paramShape = [util.sizeFromShape(x!.shape) / paramSize, paramSize];
  const dyByParam = view(dyView, paramShape);
  const dgamma = sliceSum(backend, [view(xView, paramShape), dyByParam, ...momentInputs(m)], {
    variableNames: ['x', 'dy', ...MOMENT_NAMES],
    shape: paramShape,
    axes: [0],
    uniforms: {epsilon},
    helpers,
    elementPrelude: `int o = (i0 * ${paramSize} + i1) / ${blockSize};`,
    terms: ['getDy(i0, i1) * centredOf(getX(i0, i1), o) * invStdOf(o)'],
  });
  const dbeta = sliceSum(
      backend, [dyByParam],
      {variableNames: ['dy'], shape: paramShape, axes: [0], terms: ['getDy(i0, i1)']});
  disposeAll(backend, [...momentInputs(m), rowSums, ...temps]);
  return [view(dx, x!.shape), view(dgamma, gamma!.shape), view(dbeta, gamma!.shape)];
}

export const MsLayerNormGradConfig = webglKernelConfig(MsLayerNormGrad, msLayerNormGrad);
