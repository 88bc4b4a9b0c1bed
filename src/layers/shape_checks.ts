// SPDX-License-Identifier: Apache-2.0
/**
 * Build-time input checks: a layer learns its input shape in build(), so a
 * wrong rank or channel count fails when the model is assembled, with the
 * layer's name, rather than deep inside a kernel.
 */
export function assertChannels(
    owner: string, shape: (number|null)[], channelAxis: number, channels: number, arg: string,
    rankOk: (rank: number) => boolean, rankExpected: string): void {
  if (!rankOk(shape.length)) {
    throw new Error(`${owner}: expected input of ${rankExpected}, but got input shape ` +
                    `[${shape.map(d => d ?? 'null')}] (rank ${shape.length}).`);
  }
  const axis = channelAxis < 0 ? shape.length + channelAxis : channelAxis;
  const got = shape[axis];
  if (got != null && got !== channels) {
    throw new Error(`${owner}: input has ${got} channels on axis ${axis}, but '${arg}' is ` +
                    `${channels} (input shape [${shape.map(d => d ?? 'null')}]).`);
  }
}
