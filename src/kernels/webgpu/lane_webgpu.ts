// SPDX-License-Identifier: Apache-2.0
import {ElementwiseProgram} from './elementwise_webgpu';

/**
 * One value per slice from a [slices, 4] result of MomentsProgram or
 * SliceSumsProgram: the sum of the given lanes (e.g. the mean is
 * shift + (mean - shift), lanes [0, 1]).
 */
export class LaneProgram extends ElementwiseProgram {
  constructor(slices: number, private readonly lanes: number[]) {
    super('msLane', [slices], ['rows']);
    this.shaderKey += `_${lanes.join('.')}`;
  }

  protected valueCode(): string {
    const terms = this.lanes.map(l => `rows[i * 4 + ${l}]`);
    return `fn value(i : i32) -> f32 { return ${terms.join(' + ')}; }`;
  }
}
