// SPDX-License-Identifier: Apache-2.0
/**
 * Kernel names and their Inputs/Attrs: the contract between ops, kernels and
 * gradients. Every name carries the `Ms` prefix so it can never clash with
 * tfjs's own kernels (`LRN`, `FusedBatchNorm`, ...).
 *
 * Each name's doc states the kernel's contract in tags that
 * scripts/kernel_contracts.ts reads to write KERNELS.md (checked by a test):
 *   @input name dtype: shape and meaning (inputs in the Inputs type's order)
 *   @inputs Kernel: the same inputs as a kernel above (its Inputs type named as this one's)
 *   @output name dtype: shape and meaning (in output order)
 *   @gradient the backward kernel tf.grad runs, or 'none' for a backward kernel
 *   @example one call as JSON: input shapes, attributes and the output shapes
 * Attributes are the Attrs interface's members (its own, then those of the
 * interfaces it extends); `@default` gives the default the package's op passes.
 */
import {NamedTensorInfoMap} from '@tensorflow/tfjs-core';

/** 'NCHW': channel axis 1 (any rank >= 2). 'NHWC': channel axis last. */
export type DataFormat = 'NCHW'|'NHWC';

/** Which batch variance feeds the moving-variance update (normalization always uses the biased one). */
export type VarianceUpdate = 'unbiased'|'biased';

/**
 * MindSpore L2Normalize: y = x / sqrt(max(sum(x^2 over axis), epsilon)).
 * @input x float32: any rank >= 1
 * @output y float32: the shape of x
 * @gradient MsL2NormalizeGrad
 * @example {"inputs": {"x": [2, 3]}, "attrs": {"axis": [1], "epsilon": 0.0001}, "outputShapes": [[2, 3]]}
 */
export const MsL2Normalize = 'MsL2Normalize';
export type MsL2NormalizeInputs = Pick<NamedTensorInfoMap, 'x'>;
export interface MsL2NormalizeAttrs {
  /** Axes reduced over: non-negative, sorted, unique. @default [0] */
  axis: number[];
  /** Lower bound of the sum of squares (not of the norm); > 0. @default 1e-4 */
  epsilon: number;
}

/**
 * MindSpore L2NormalizeGrad: dx = (dy - y * sum(y * dy)) / d with
 * d = sqrt(max(sum(x^2), epsilon)); dx = dy / d where the clamp is active.
 * @input x float32: the forward's input
 * @input dy float32: the shape of x
 * @output dx float32: the shape of x
 * @gradient none
 * @example {"inputs": {"x": [2, 3], "dy": [2, 3]}, "attrs": {"axis": [1], "epsilon": 0.0001}, "outputShapes": [[2, 3]]}
 */
export const MsL2NormalizeGrad = 'MsL2NormalizeGrad';
export type MsL2NormalizeGradInputs = Pick<NamedTensorInfoMap, 'x'|'dy'>;
export type MsL2NormalizeGradAttrs = MsL2NormalizeAttrs;

/**
 * MindSpore LRN across channels, NCHW:
 * y = x / (bias + alpha * sum over |c' - c| <= depthRadius of x[c']^2)^beta
 * (alpha not divided by the window size, unlike PyTorch).
 * @input x float32: rank 4, NCHW
 * @output y float32: the shape of x
 * @gradient MsLRNGrad
 * @example {"inputs": {"x": [1, 4, 2, 2]}, "attrs": {"depthRadius": 1, "bias": 1, "alpha": 1, "beta": 0.5}, "outputShapes": [[1, 4, 2, 2]]}
 */
export const MsLRN = 'MsLRN';
export type MsLRNInputs = Pick<NamedTensorInfoMap, 'x'>;
export interface MsLRNAttrs {
  /** Half-width of the channel window; an integer >= 0. @default 5 */
  depthRadius: number;
  /** @default 1 */
  bias: number;
  /** @default 1 */
  alpha: number;
  /** @default 0.5 */
  beta: number;
}

/**
 * MindSpore LRNGrad, with s = bias + alpha * window sum of x^2:
 * dx[c] = dy[c] * s[c]^-beta - 2 * alpha * beta * x[c] * sum over the window of
 * dy[c'] * x[c'] * s[c']^(-beta - 1).
 * @input x float32: the forward's input
 * @input dy float32: the shape of x
 * @output dx float32: the shape of x
 * @gradient none
 * @example {"inputs": {"x": [1, 4, 2, 2], "dy": [1, 4, 2, 2]}, "attrs": {"depthRadius": 1, "bias": 1, "alpha": 1, "beta": 0.5}, "outputShapes": [[1, 4, 2, 2]]}
 */
export const MsLRNGrad = 'MsLRNGrad';
export type MsLRNGradInputs = Pick<NamedTensorInfoMap, 'x'|'dy'>;
export type MsLRNGradAttrs = MsLRNAttrs;

/**
 * MindSpore GroupNorm: per sample and group of C / numGroups consecutive
 * channels, biased statistics; y = (x - mean) / sqrt(var + epsilon) * gamma[c] + beta[c].
 * @input x float32: (N, C, *), rank >= 2
 * @input gamma float32: [C]
 * @input beta float32: [C]
 * @output y float32: the shape of x
 * @gradient MsGroupNormGrad
 * @example {"inputs": {"x": [2, 4, 3], "gamma": [4], "beta": [4]}, "attrs": {"numGroups": 2, "epsilon": 1e-05}, "outputShapes": [[2, 4, 3]]}
 */
export const MsGroupNorm = 'MsGroupNorm';
export type MsGroupNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'>;
export interface MsGroupNormAttrs {
  /** A divisor of C. */
  numGroups: number;
  /** Added to the variance; > 0. @default 1e-5 */
  epsilon: number;
}

/**
 * GroupNorm's backward pass; statistics recomputed from x.
 * @input x float32: the forward's input
 * @input gamma float32: [C]
 * @input dy float32: the shape of x
 * @output dx float32: the shape of x
 * @output dgamma float32: [C]
 * @output dbeta float32: [C]
 * @gradient none
 * @example {"inputs": {"x": [2, 4, 3], "gamma": [4], "dy": [2, 4, 3]}, "attrs": {"numGroups": 2, "epsilon": 1e-05}, "outputShapes": [[2, 4, 3], [4], [4]]}
 */
export const MsGroupNormGrad = 'MsGroupNormGrad';
export type MsGroupNormGradInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'dy'>;
export type MsGroupNormGradAttrs = MsGroupNormAttrs;

/**
 * Training-mode BatchNorm: normalizes with the batch's biased statistics per
 * channel and updates the running ones with op-level momentum:
 * new = (1 - momentum) * running + momentum * batch.
 * @input x float32: rank >= 2, channels on axis 1 (NCHW) or last (NHWC)
 * @input gamma float32: [C]
 * @input beta float32: [C]
 * @input runningMean float32: [C]
 * @input runningVar float32: [C]
 * @output y float32: the shape of x
 * @output newRunningMean float32: [C]
 * @output newRunningVar float32: [C]
 * @gradient MsBatchNormGrad (training: true); none reaches the running statistics, as in MindSpore's bprop
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3], "beta": [3], "runningMean": [3], "runningVar": [3]}, "attrs": {"momentum": 0.1, "epsilon": 1e-05, "dataFormat": "NCHW", "varianceUpdate": "unbiased"}, "outputShapes": [[2, 3, 4], [3], [3]]}
 */
export const MsBatchNormTraining = 'MsBatchNormTraining';
export type MsBatchNormTrainingInputs =
    Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'|'runningMean'|'runningVar'>;
export interface MsBatchNormTrainingAttrs extends MsBatchNormInferenceAttrs {
  /** Op-level (PyTorch's direction; MindSpore nn's momentum is 1 - this); in [0, 1]. @default 0.1 */
  momentum: number;
  /** 'unbiased' (MindSpore, PyTorch) or 'biased' (Keras). @default 'unbiased' */
  varianceUpdate: VarianceUpdate;
}

/**
 * Inference-mode BatchNorm: normalizes with the running statistics.
 * @inputs MsBatchNormTraining
 * @output y float32: the shape of x
 * @gradient MsBatchNormGrad (training: false)
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3], "beta": [3], "runningMean": [3], "runningVar": [3]}, "attrs": {"epsilon": 1e-05, "dataFormat": "NCHW"}, "outputShapes": [[2, 3, 4]]}
 */
export const MsBatchNormInference = 'MsBatchNormInference';
export type MsBatchNormInferenceInputs = MsBatchNormTrainingInputs;
export interface MsBatchNormInferenceAttrs {
  /** Added to the variance; > 0. @default 1e-5 */
  epsilon: number;
  /** @default 'NCHW' */
  dataFormat: DataFormat;
}

/**
 * BatchNorm's backward pass. In training the statistics are the batch's
 * (recomputed from x); in inference they are runningMean / runningVar.
 * @input x float32: the forward's input
 * @input gamma float32: [C]
 * @input runningMean float32: [C]
 * @input runningVar float32: [C]
 * @input dy float32: the shape of x
 * @output dx float32: the shape of x
 * @output dgamma float32: [C]
 * @output dbeta float32: [C]
 * @gradient none
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3], "runningMean": [3], "runningVar": [3], "dy": [2, 3, 4]}, "attrs": {"training": true, "epsilon": 1e-05, "dataFormat": "NCHW"}, "outputShapes": [[2, 3, 4], [3], [3]]}
 */
export const MsBatchNormGrad = 'MsBatchNormGrad';
export type MsBatchNormGradInputs =
    Pick<NamedTensorInfoMap, 'x'|'gamma'|'runningMean'|'runningVar'|'dy'>;
export interface MsBatchNormGradAttrs {
  /** Whether the forward used the batch statistics. */
  training: boolean;
  /** Added to the variance; > 0. */
  epsilon: number;
  dataFormat: DataFormat;
}

/**
 * MindSpore LayerNorm: mean and biased variance over axes [beginNormAxis, rank);
 * y = (x - mean) / sqrt(var + epsilon) * gamma + beta.
 * @input x float32: any rank >= 1
 * @input gamma float32: x.shape[beginParamsAxis:]
 * @input beta float32: x.shape[beginParamsAxis:]
 * @output y float32: the shape of x
 * @output mean float32: x.shape[:beginNormAxis] followed by 1s (rank of x)
 * @output variance float32: the shape of mean
 * @gradient MsLayerNormGrad (gradients reaching mean and variance included)
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3, 4], "beta": [3, 4]}, "attrs": {"beginNormAxis": 1, "beginParamsAxis": 1, "epsilon": 1e-07}, "outputShapes": [[2, 3, 4], [2, 1, 1], [2, 1, 1]]}
 */
export const MsLayerNorm = 'MsLayerNorm';
export type MsLayerNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'>;
export interface MsLayerNormAttrs {
  /** First normalized axis, in [0, rank) (ops accept negative axes). @default 1 */
  beginNormAxis: number;
  /** First axis of gamma/beta, in [0, rank). @default 1 */
  beginParamsAxis: number;
  /** Added to the variance; > 0. @default 1e-7 */
  epsilon: number;
}

/**
 * LayerNorm's backward pass; statistics recomputed from x.
 * @input x float32: the forward's input
 * @input gamma float32: x.shape[beginParamsAxis:]
 * @input dy float32: the shape of x
 * @input dmean float32 (optional): the gradient reaching the mean output
 * @input dvariance float32 (optional): the gradient reaching the variance output
 * @output dx float32: the shape of x
 * @output dgamma float32: the shape of gamma
 * @output dbeta float32: the shape of gamma
 * @gradient none
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [4], "dy": [2, 3, 4]}, "attrs": {"beginNormAxis": 1, "beginParamsAxis": 2, "epsilon": 1e-07}, "outputShapes": [[2, 3, 4], [4], [4]]}
 */
export const MsLayerNormGrad = 'MsLayerNormGrad';
export type MsLayerNormGradInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'dy'>&
    Partial<Pick<NamedTensorInfoMap, 'dmean'|'dvariance'>>;
export type MsLayerNormGradAttrs = MsLayerNormAttrs;

/**
 * MindSpore InstanceNorm: per (n, c) slice, biased statistics;
 * y = (x - mean) / sqrt(var + epsilon) * gamma[c] + beta[c].
 * @input x float32: (N, C, *), rank >= 3
 * @input gamma float32: [C]
 * @input beta float32: [C]
 * @output y float32: the shape of x
 * @gradient MsInstanceNormGrad
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3], "beta": [3]}, "attrs": {"epsilon": 1e-05}, "outputShapes": [[2, 3, 4]]}
 */
export const MsInstanceNorm = 'MsInstanceNorm';
export type MsInstanceNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'>;
export interface MsInstanceNormAttrs {
  /** Added to the variance; > 0. @default 1e-5 */
  epsilon: number;
}

/**
 * InstanceNorm's backward pass; statistics recomputed from x.
 * @input x float32: the forward's input
 * @input gamma float32: [C]
 * @input dy float32: the shape of x
 * @output dx float32: the shape of x
 * @output dgamma float32: [C]
 * @output dbeta float32: [C]
 * @gradient none
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3], "dy": [2, 3, 4]}, "attrs": {"epsilon": 1e-05}, "outputShapes": [[2, 3, 4], [3], [3]]}
 */
export const MsInstanceNormGrad = 'MsInstanceNormGrad';
export type MsInstanceNormGradInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'dy'>;
export type MsInstanceNormGradAttrs = MsInstanceNormAttrs;

/**
 * MindSpore RmsNorm (ops.rms_norm), over the last gamma.rank axes of x (rows
 * of gamma.size values): rstd = 1 / sqrt(mean(x^2 over those axes) + epsilon),
 * y = x * rstd * gamma.
 * @input x float32: any rank >= gamma's
 * @input gamma float32: the trailing dims of x (x.shape[rank - gamma.rank:])
 * @output y float32: the shape of x
 * @output rstd float32: the shape of x with the last gamma.rank dims set to 1
 * @gradient MsRMSNormGrad (from y only; none reaches rstd, as in MindSpore's bprop)
 * @example {"inputs": {"x": [2, 3, 4], "gamma": [3, 4]}, "attrs": {"epsilon": 1e-06}, "outputShapes": [[2, 3, 4], [2, 1, 1]]}
 */
export const MsRMSNorm = 'MsRMSNorm';
export type MsRMSNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'>;
export interface MsRMSNormAttrs {
  /** Added to the mean square, inside the root; in (0, 1]. @default 1e-6 */
  epsilon: number;
}

/**
 * MindSpore RmsNormGrad(dy, x, rstd, gamma) with the forward's rstd (not
 * recomputed), per row: dx = rstd * dy * gamma - x * rstd^3 * mean(dy * gamma * x),
 * dgamma = sum over rows of dy * x * rstd. No attributes: epsilon is inside rstd.
 * @input dy float32: the shape of x
 * @input x float32: the forward's input
 * @input rstd float32: the forward's rstd output
 * @input gamma float32: the trailing dims of x
 * @output dx float32: the shape of x
 * @output dgamma float32: the shape of gamma
 * @gradient none
 * @example {"inputs": {"dy": [2, 3, 4], "x": [2, 3, 4], "rstd": [2, 3, 1], "gamma": [4]}, "attrs": {}, "outputShapes": [[2, 3, 4], [4]]}
 */
export const MsRMSNormGrad = 'MsRMSNormGrad';
export type MsRMSNormGradInputs = Pick<NamedTensorInfoMap, 'dy'|'x'|'rstd'|'gamma'>;
/** None: epsilon is already inside rstd. */
export interface MsRMSNormGradAttrs {}
