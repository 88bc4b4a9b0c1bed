// SPDX-License-Identifier: Apache-2.0
/**
 * Names MindSpore gives to training state rather than to model parameters:
 * optimizer slots are clones of the parameters named `<prefix>.<param>`
 * (Adam's moment1/moment2, Momentum's moments, Adagrad's accum, ...), plus
 * scalar counters and hyper-parameters saved next to them.
 */

/** Slot prefixes of MindSpore's optimizers (the slot is `<prefix>.<parameter name>`). */
export const OPTIMIZER_SLOT_PREFIXES: readonly string[] = [
  'moment1',        // Adam, LazyAdam, AdaMax
  'moment2',        // Adam, LazyAdam, AdaMax
  'vhat',           // Adam with use_amsgrad
  'moments',        // Momentum, FTRL
  'moment',         // RMSProp
  'mean_grad',      // RMSProp (centered)
  'mean_square',    // RMSProp
  'accum',          // Adagrad, ProximalAdagrad, FTRL, Adadelta, SGD
  'accum_update',   // Adadelta
  'adam_m',         // AdamWeightDecay
  'adam_v',         // AdamWeightDecay
  'lamb_m',         // Lamb
  'lamb_v',         // Lamb
  'exp_avg',        // AdaFactor
  'exp_avg_sq',     // AdaFactor
  'exp_avg_sq_row', // AdaFactor
  'exp_avg_sq_col', // AdaFactor
];

/** Whole tags of training counters and hyper-parameters. */
export const TRAINING_STATE_NAMES: readonly string[] = [
  'global_step', 'learning_rate', 'momentum', 'beta1_power', 'beta2_power', 'scale_sense',
  'current_iterator_step', 'last_overflow_iterator_step', 'epoch_num', 'step_num',
];

/** True for tags that hold optimizer or training state rather than model weights. */
export function isOptimizerState(tag: string): boolean {
  if (TRAINING_STATE_NAMES.includes(tag)) {
    return true;
  }
  const dot = tag.indexOf('.');
  return dot > 0 && OPTIMIZER_SLOT_PREFIXES.includes(tag.slice(0, dot));
}
