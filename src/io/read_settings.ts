// SPDX-License-Identifier: Apache-2.0
/** The reader's checked options, shared by the .ckpt and safetensors paths. */
import {isOptimizerState} from './optimizer_state';

export interface ReadSettings {
  skipOptimizerState: boolean;
  filter?: (tag: string) => boolean;
  onSkip?: (tag: string, reason: string) => void;
  verifyCrc: boolean;
  maxBytes: number;
}

/** Why a tag is left out, or null to keep it. */
export function skipReason(tag: string, settings: ReadSettings): string|null {
  if (settings.filter != null && !settings.filter(tag)) {
    return 'excluded by options.filter';
  }
  if (settings.skipOptimizerState && isOptimizerState(tag)) {
    return 'optimizer or training state (options.skipOptimizerState)';
  }
  return null;
}
