// SPDX-License-Identifier: Apache-2.0
/**
 * The layers' weight names. MindSpore's checkpoints call gamma and beta the
 * same and write the moving statistics as 'mean' / 'variance' (see
 * interop/load_mindspore_weights.ts); the Keras spelling is kept so stock
 * BatchNormalization weights carry over by name.
 */
export const AFFINE_WEIGHTS = {gamma: 'gamma', beta: 'beta'} as const;

export const MOVING_STAT_WEIGHTS = {movingMean: 'moving_mean', movingVariance: 'moving_variance'} as const;

/** BatchNorm*d and InstanceNorm*d: gamma, beta and the moving statistics. */
export const CHANNEL_AFFINE_WEIGHTS = {...AFFINE_WEIGHTS, ...MOVING_STAT_WEIGHTS} as const;

/** RMSNorm (mindformers' LlamaRMSNorm): one scale named as in Llama checkpoints. */
export const RMS_NORM_WEIGHTS = {weight: 'weight'} as const;

/** The mint layers (PyTorch's names, as MindSpore's mint writes them in checkpoints). */
export const MINT_AFFINE_WEIGHTS = {weight: 'weight', bias: 'bias'} as const;

export const MINT_RUNNING_STAT_WEIGHTS = {
  runningMean: 'running_mean',
  runningVar: 'running_var',
  numBatchesTracked: 'num_batches_tracked',
} as const;
