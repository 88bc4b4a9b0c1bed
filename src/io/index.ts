/** MindSpore checkpoint (.ckpt) reading and writing. */
export {isOptimizerState, OPTIMIZER_SLOT_PREFIXES, TRAINING_STATE_NAMES} from './optimizer_state';
export {readMindSporeCheckpoint} from './read_checkpoint';
export type {CheckpointSource, ReadCheckpointOptions} from './read_checkpoint';
export {saveMindSporeCheckpoint} from './save_checkpoint';
export type {SaveCheckpointOptions} from './save_checkpoint';
