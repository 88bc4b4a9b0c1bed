// SPDX-License-Identifier: Apache-2.0
import {NamedAttrMap, op, Tensor, TensorLike} from '@tensorflow/tfjs-core';

import {MsRMSNorm, MsRMSNormAttrs, MsRMSNormInputs} from '../kernel_names';
import {runMsKernel} from '../util/run_kernel';
import {assertArg, isFiniteNumber, toFloatTensor} from '../util/validation';
import {runMsKernel} from '../util/run_kernel';

const OP = 'rmsNorm';

export interface RMSNormResult {
  /** x * rstd * gamma, x's shape. */
  y: Tensor;
  /** 1 / sqrt(mean(x^2) + epsilon): x's shape with the normalized axes set to 1 (float32). */
  rstd: Tensor;
}

/**
 * MindSpore's `ops.rms_norm(x, gamma, epsilon)`: over the last `gamma.rank`
 * axes of x, `rstd = 1 / sqrt(mean(x^2) + epsilon)` and `y = x * rstd * gamma`.
 * Returns both outputs, as MindSpore; the caller owns them. Gradients reach x
 * and gamma from y only (MindSpore's bprop drops rstd's gradient).
 *
 * @param x Input (float32).
 * @param gamma Scale whose shape equals the trailing dims of x.
 * @param epsilon Added to the mean square inside the root; in (0, 1], default 1e-6.
 */
function rmsNorm_(x: Tensor|TensorLike, gamma: Tensor|TensorLike, epsilon = 1e-6): RMSNormResult {
  assertArg(isFiniteNumber(epsilon) && epsilon > 0 && epsilon <= 1, OP, 'epsilon',
      'a number in the range (0, 1]', epsilon);
  const $x = toFloatTensor(x, 'x', OP);
  const $gamma = toFloatTensor(gamma, 'gamma', OP);
  if ($gamma.rank > $x.rank) {
    throw new Error(`${OP}: 'gamma' must not have a larger rank than 'x' (rank ${$x.rank}, ` +
                    `shape [${$x.shape}]), but got rank ${$gamma.rank} (shape [${$gamma.shape}]).`);
  }
  const trailing = $x.shape.slice($x.rank - $gamma.rank);
  if (!$gamma.shape.every((d, i) => d === trailing[i])) {
    throw new Error(`${OP}: 'gamma' must have the shape of the last ${$gamma.rank} dims of 'x', ` +
                    `[${trailing}], but got shape [${$gamma.shape}] (x shape [${$x.shape}]).`);
  }
  const inputs: MsRMSNormInputs = {x: $x, gamma: $gamma};
  const attrs: MsRMSNormAttrs = {epsilon};
  const [y, rstd] =
      runMsKernel(MsRMSNorm, inputs as {}, attrs as unknown as NamedAttrMap) as Tensor[];
  return {y, rstd};
}

export const rmsNorm = /* @__PURE__ */ op({rmsNorm_});
