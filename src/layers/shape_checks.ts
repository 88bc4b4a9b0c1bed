// SPDX-License-Identifier: Apache-2.0
/**
 * Build-time input checks: a layer learns its input shape in build(), so a
 * wrong rank or channel count fails when the model is assembled, with the
 * layer's name, rather than deep inside a kernel.
 */
import {assertPositiveInt} from '../util/validation';

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

/** A layer's input shape, which may contain nulls (unknown dims). */
export type InputShape = (number|null)[];

/** The shape build() is given: tfjs passes one shape, or a list of them. */
export function firstShape(inputShape: InputShape|InputShape[]): InputShape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as InputShape;
}

/** The input's last dims must equal `normalizedShape` (RMSNorm, mint's LayerNorm). */
export function assertTrailingDims(
    owner: string, shape: InputShape, normalizedShape: readonly number[]): void {
  const n = normalizedShape.length;
  const trailing = shape.slice(Math.max(0, shape.length - n));
  const ok = shape.length >= n && trailing.every((d, i) => d == null || d === normalizedShape[i]);
  if (!ok) {
    throw new Error(`${owner}: the input's last ${n} dims must equal 'normalizedShape' ` +
                    `[${normalizedShape}], but got input shape [${shape.map(d => d ?? 'null')}].`);
  }
}

/** A GroupNorm layer's numGroups and numChannels: positive, numGroups dividing numChannels. */
export function assertGroups(owner: string, numGroups: unknown, numChannels: unknown): void {
  assertPositiveInt(owner, 'numGroups', numGroups);
  assertPositiveInt(owner, 'numChannels', numChannels);
  if ((numChannels as number) % (numGroups as number) !== 0) {
    throw new Error(`${owner}: 'numChannels' (${numChannels}) must be divisible by ` +
                    `'numGroups' (${numGroups}).`);
  }
}
