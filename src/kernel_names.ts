/**
 * Kernel names and their Inputs/Attrs: the contract between ops, kernels and
 * gradients. Every name carries the `Ms` prefix so it can never clash with
 * tfjs's own kernels (`LRN`, `FusedBatchNorm`, ...).
 */
import {NamedTensorInfoMap} from '@tensorflow/tfjs-core';

/** 'NCHW': channel axis 1 (any rank >= 2). 'NHWC': channel axis last. */
export type DataFormat = 'NCHW'|'NHWC';

/** Which batch variance feeds the moving-variance update (normalization always uses the biased one). */
export type VarianceUpdate = 'unbiased'|'biased';

// out = x / sqrt(max(sum(x^2 over axes), epsilon))
export const MsL2Normalize = 'MsL2Normalize';
export type MsL2NormalizeInputs = Pick<NamedTensorInfoMap, 'x'>;
export interface MsL2NormalizeAttrs {
  /** Non-negative, sorted, unique axes. */
  axis: number[];
  epsilon: number;
}

export const MsL2NormalizeGrad = 'MsL2NormalizeGrad';
export type MsL2NormalizeGradInputs = Pick<NamedTensorInfoMap, 'x'|'dy'>;
export type MsL2NormalizeGradAttrs = MsL2NormalizeAttrs;

// NCHW: out = x / (bias + alpha * sum_{|c'-c|<=r} x[c']^2)^beta
export const MsLRN = 'MsLRN';
export type MsLRNInputs = Pick<NamedTensorInfoMap, 'x'>;
export interface MsLRNAttrs {
  depthRadius: number;
  bias: number;
  alpha: number;
  beta: number;
}

export const MsLRNGrad = 'MsLRNGrad';
export type MsLRNGradInputs = Pick<NamedTensorInfoMap, 'x'|'dy'>;
export type MsLRNGradAttrs = MsLRNAttrs;

// (N, C, *): per sample and group of C/numGroups channels, biased statistics.
export const MsGroupNorm = 'MsGroupNorm';
export type MsGroupNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'>;
export interface MsGroupNormAttrs {
  numGroups: number;
  epsilon: number;
}

/** Outputs [dx, dgamma, dbeta]. */
export const MsGroupNormGrad = 'MsGroupNormGrad';
export type MsGroupNormGradInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'dy'>;
export type MsGroupNormGradAttrs = MsGroupNormAttrs;

/**
 * Training-mode batch norm. Outputs [y, newRunningMean, newRunningVar] with
 * op-level momentum: new = (1 - momentum) * running + momentum * batch.
 */
export const MsBatchNormTraining = 'MsBatchNormTraining';
export type MsBatchNormTrainingInputs =
    Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'|'runningMean'|'runningVar'>;
export interface MsBatchNormTrainingAttrs {
  momentum: number;
  epsilon: number;
  dataFormat: DataFormat;
  varianceUpdate: VarianceUpdate;
}

/** Inference-mode batch norm: normalizes with the running statistics. */
export const MsBatchNormInference = 'MsBatchNormInference';
export type MsBatchNormInferenceInputs =
    Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'|'runningMean'|'runningVar'>;
export interface MsBatchNormInferenceAttrs {
  epsilon: number;
  dataFormat: DataFormat;
}

/**
 * Outputs [dx, dgamma, dbeta]. In training the statistics are the batch's
 * (recomputed from x); in inference they are runningMean/runningVar.
 */
export const MsBatchNormGrad = 'MsBatchNormGrad';
export type MsBatchNormGradInputs =
    Pick<NamedTensorInfoMap, 'x'|'gamma'|'runningMean'|'runningVar'|'dy'>;
export interface MsBatchNormGradAttrs {
  training: boolean;
  epsilon: number;
  dataFormat: DataFormat;
}

// y = (x - mean) / sqrt(var + epsilon) * gamma + beta, statistics (biased)
// over axes [beginNormAxis, rank), gamma/beta of shape x.shape[beginParamsAxis:].
/** Outputs [y, mean, variance]; mean/variance of shape x.shape[:bna] + [1, ...]. */
export const MsLayerNorm = 'MsLayerNorm';
export type MsLayerNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'>;
export interface MsLayerNormAttrs {
  /** In [0, rank). */
  beginNormAxis: number;
  /** In [0, rank). */
  beginParamsAxis: number;
  epsilon: number;
}

/**
 * Outputs [dx, dgamma, dbeta]. Statistics are recomputed from x. dmean and
 * dvariance (the gradients reaching the mean/variance outputs) are optional.
 */
export const MsLayerNormGrad = 'MsLayerNormGrad';
export type MsLayerNormGradInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'dy'>&
    Partial<Pick<NamedTensorInfoMap, 'dmean'|'dvariance'>>;
export type MsLayerNormGradAttrs = MsLayerNormAttrs;

// (N, C, *): per (n, c) slice, biased statistics; gamma/beta of shape [C].
export const MsInstanceNorm = 'MsInstanceNorm';
export type MsInstanceNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'beta'>;
export interface MsInstanceNormAttrs {
  epsilon: number;
}

/** Outputs [dx, dgamma, dbeta]. */
export const MsInstanceNormGrad = 'MsInstanceNormGrad';
export type MsInstanceNormGradInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'|'dy'>;
export type MsInstanceNormGradAttrs = MsInstanceNormAttrs;

// MindSpore RmsNorm, over the last gamma.rank axes of x (rows of gamma.size values):
//   rstd = 1 / sqrt(mean(x^2 over those axes) + epsilon),  y = x * rstd * gamma
/**
 * Outputs [y, rstd]: y of x's shape, rstd float32 of x's shape with the
 * normalized (last gamma.rank) axes set to 1. Ops guarantee gamma.shape equals
 * x.shape's trailing dims and epsilon in (0, 1].
 */
export const MsRMSNorm = 'MsRMSNorm';
export type MsRMSNormInputs = Pick<NamedTensorInfoMap, 'x'|'gamma'>;
export interface MsRMSNormAttrs {
  epsilon: number;
}

/**
 * MindSpore's RmsNormGrad(dy, x, rstd, gamma): outputs [dx, dgamma], with rstd
 * the forward's second output (not recomputed) and, over each row,
 *   dx     = rstd * dy * gamma - x * rstd^3 * mean(dy * gamma * x)
 *   dgamma = sum over rows of dy * x * rstd          (shape gamma.shape)
 * No attrs: epsilon is already inside rstd.
 */
export const MsRMSNormGrad = 'MsRMSNormGrad';
export type MsRMSNormGradInputs = Pick<NamedTensorInfoMap, 'dy'|'x'|'rstd'|'gamma'>;
export interface MsRMSNormGradAttrs {}
