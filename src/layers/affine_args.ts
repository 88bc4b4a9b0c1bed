// SPDX-License-Identifier: Apache-2.0
import {assertArg, assertPositive} from '../util/validation';
import {InitializerConfig, InitializerIdentifier, resolveInitializer} from './initializers';

/** Arguments GroupNorm, BatchNorm and InstanceNorm share (MindSpore names, camelCased). */
export interface AffineArgs {
  eps?: number;
  /** Whether gamma and beta train; they are applied either way (MindSpore). */
  affine?: boolean;
  gammaInit?: InitializerIdentifier;
  betaInit?: InitializerIdentifier;
}

/** The keys of AffineArgs, for the unknown-key check. */
export const AFFINE_ARG_KEYS: readonly string[] = ['eps', 'affine', 'gammaInit', 'betaInit'];

export interface ResolvedAffineArgs {
  eps: number;
  affine: boolean;
  gammaInit: InitializerConfig;
  betaInit: InitializerConfig;
}

/** Checks the shared arguments with the layer's name and applies MindSpore's defaults. */
export function readAffineArgs(owner: string, args: AffineArgs, channels: number):
    ResolvedAffineArgs {
  const eps = args.eps ?? 1e-5;
  assertPositive(owner, 'eps', eps);
  const affine = args.affine ?? true;
  assertArg(typeof affine === 'boolean', owner, 'affine', 'true or false', affine);
  return {
    eps,
    affine,
    gammaInit: resolveInitializer(args.gammaInit ?? 'ones', owner, 'gammaInit', channels).config,
    betaInit: resolveInitializer(args.betaInit ?? 'zeros', owner, 'betaInit', channels).config,
  };
}
