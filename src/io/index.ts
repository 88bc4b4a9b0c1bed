// SPDX-License-Identifier: Apache-2.0
/** MindSpore checkpoint reading and writing (.ckpt protobuf and safetensors). */
export {isOptimizerState, OPTIMIZER_SLOT_PREFIXES, TRAINING_STATE_NAMES} from './optimizer_state';
export {readMindSporeCheckpoint} from './read_checkpoint';
export type {CheckpointSource, ReadCheckpointOptions} from './read_checkpoint';
export {saveMindSporeCheckpoint} from './save_checkpoint';
export type {SaveCheckpointOptions} from './save_checkpoint';
